/** The alert lifecycle as the dashboard needs it: which step a status allows next. */
import type { AlertResolveBody, AlertStatus, Disposition } from '../../contract/index.ts';

export type AlertStep = 'acknowledge' | 'on_site' | 'resolve';

const NEXT: Record<AlertStatus, readonly AlertStep[]> = {
  open: ['acknowledge'],
  acknowledged: ['on_site', 'resolve'],
  on_site: ['resolve'],
  resolved: [],
};

export function allowedSteps(status: AlertStatus): readonly AlertStep[] {
  return NEXT[status];
}

export function isActive(status: AlertStatus): boolean {
  return status !== 'resolved';
}

const STATUS_ORDER: Record<AlertStatus, number> = { open: 0, acknowledged: 1, on_site: 2, resolved: 3 };

/** Statuses only move forward; a higher rank is a later state of the same alert. */
export function statusRank(status: AlertStatus): number {
  return STATUS_ORDER[status];
}

export const DISPOSITIONS = ['real', 'false_alarm', 'test', 'device_fault'] as const satisfies readonly Disposition[];

/** What resolving sends: the disposition, and the note when it says anything. */
export function resolveBody(disposition: Disposition, note: string): AlertResolveBody {
  const trimmed = note.trim();
  return trimmed ? { disposition, note: trimmed } : { disposition };
}
