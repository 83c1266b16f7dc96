/**
 * Who is on duty: a worker with no roster always is; with a roster, within one of its weekly shifts
 * (local time); and never while away, when the backup stands in if the backup is on duty.
 */
import type { Channel, Shift, WorkerPosition } from '../../contract/index.ts';
import { localTime } from '../local-time.ts';

export interface DutyCandidate {
  id: string;
  name: string;
  position: WorkerPosition;
  gridIds: string[];
  channels: Channel[];
  phone: string | null;
  roster: Shift[];
  awayUntil: number | null;
  backupWorkerId: string | null;
}

const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

export function inShift(roster: readonly Shift[], now: number): boolean {
  if (!roster.length) return true;
  const { weekday, minutes: m } = localTime(now);
  const yesterday = weekday === 1 ? 7 : weekday - 1;
  return roster.some((shift) => {
    const starts = minutes(shift.starts);
    const ends = minutes(shift.ends);
    if (starts < ends) return shift.weekday === weekday && m >= starts && m < ends;
    return (shift.weekday === weekday && m >= starts) || (shift.weekday === yesterday && m < ends);
  });
}

export function onDuty(worker: DutyCandidate, now: number): boolean {
  return (worker.awayUntil === null || worker.awayUntil <= now) && inShift(worker.roster, now);
}

/**
 * The workers to page for some positions around a grid: those covering the grid (or the whole community
 * for duty officers and the emergency centre), on duty, each replaced by an on-duty backup when away.
 */
export function recipientsFor(candidates: readonly DutyCandidate[], gridId: string | null, positions: readonly WorkerPosition[], now: number): DutyCandidate[] {
  const byId = new Map(candidates.map((c) => [c.id, c]));
  const chosen = new Map<string, DutyCandidate>();
  for (const worker of candidates) {
    if (!positions.includes(worker.position)) continue;
    const gridBound = worker.position === 'grid_worker' || worker.position === 'grid_leader';
    if (gridBound && gridId !== null && !worker.gridIds.includes(gridId)) continue;
    if (onDuty(worker, now)) {
      chosen.set(worker.id, worker);
      continue;
    }
    const away = worker.awayUntil !== null && worker.awayUntil > now;
    const backup = away && worker.backupWorkerId ? byId.get(worker.backupWorkerId) : undefined;
    if (backup && onDuty(backup, now)) chosen.set(backup.id, backup);
  }
  return [...chosen.values()];
}
