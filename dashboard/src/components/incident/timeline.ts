/**
 * An incident's timeline: every history transition, every notification attempt (and notifications
 * still waiting for their first attempt), every emergency broadcast and each speaker's playback
 * receipt, merged in time order. Entries of the same instant keep a fixed order: the transition that
 * caused them first, then notifications, then broadcasts.
 */
import type { IncidentDetail } from '../../api/types.ts';

type Notification = IncidentDetail['notifications'][number];
type Broadcast = IncidentDetail['broadcasts'][number];

export type TimelineEntry =
  | {
      kind: 'history';
      at: string;
      action: string;
      detail: unknown;
      actor: { id: string; name: string } | null;
      /** Reminders to the same people in a row are shown once: how many, and the last one. */
      repeat?: { count: number; lastAt: string };
    }
  | { kind: 'attempt'; at: string; notification: Notification; ok: boolean; statusCode: number | null; error: string | null; attempt: number }
  | { kind: 'queued'; at: string; notification: Notification }
  | { kind: 'broadcast'; at: string; broadcast: Broadcast }
  | { kind: 'receipt'; at: string; broadcast: Broadcast; deviceId: string };

const KIND_ORDER: Record<TimelineEntry['kind'], number> = { history: 0, queued: 1, attempt: 2, broadcast: 3, receipt: 4 };

export function mergeTimeline(detail: Pick<IncidentDetail, 'history' | 'notifications' | 'broadcasts'>): TimelineEntry[] {
  const entries: { entry: TimelineEntry; seq: number }[] = [];
  const add = (entry: TimelineEntry) => entries.push({ entry, seq: entries.length });

  for (const h of detail.history) add({ kind: 'history', at: h.at, action: h.action, detail: h.detail, actor: h.actor });
  for (const n of detail.notifications) {
    const log = n.attemptLog ?? [];
    if (!log.length) add({ kind: 'queued', at: n.createdAt, notification: n });
    log.forEach((a, i) => add({ kind: 'attempt', at: a.at, notification: n, ok: a.ok, statusCode: a.statusCode, error: a.error, attempt: i + 1 }));
  }
  for (const b of detail.broadcasts) {
    add({ kind: 'broadcast', at: b.at, broadcast: b });
    for (const r of b.receipts) add({ kind: 'receipt', at: r.playedAt, broadcast: b, deviceId: r.deviceId });
  }

  return collapseReminders(
    entries
      .sort((a, b) => Date.parse(a.entry.at) - Date.parse(b.entry.at) || KIND_ORDER[a.entry.kind] - KIND_ORDER[b.entry.kind] || a.seq - b.seq)
      .map((e) => e.entry),
  );
}

function reminderKey(entry: TimelineEntry): string | null {
  if (entry.kind !== 'history' || entry.action !== 'notified') return null;
  const detail = (entry.detail ?? {}) as { event?: unknown; recipients?: unknown };
  if (detail.event !== 'alert.reminder') return null;
  return JSON.stringify(Array.isArray(detail.recipients) ? detail.recipients.map((r) => (r as { name?: unknown }).name) : null);
}

/** An unacknowledged red incident is re-paged every 30 s: one line per run of identical reminders, with a count. */
export function collapseReminders(entries: readonly TimelineEntry[]): TimelineEntry[] {
  const out: TimelineEntry[] = [];
  let runKey: string | null = null;
  for (const entry of entries) {
    const key = reminderKey(entry);
    const last = out.at(-1);
    if (key !== null && key === runKey && last?.kind === 'history') {
      out[out.length - 1] = { ...last, repeat: { count: (last.repeat?.count ?? 1) + 1, lastAt: entry.at } };
      continue;
    }
    runKey = key;
    out.push(entry);
  }
  return out;
}
