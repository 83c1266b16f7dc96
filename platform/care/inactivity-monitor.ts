/**
 * Inactivity of households where an elderly person lives alone. Signs of life — a door contact opening
 * or closing, water used — are recorded per hour; a household quiet for longer than its quiet period
 * (learned from its own pattern, see quiet-period.ts) raises a yellow "check on the resident" alert on
 * its door contact (or water meter), dispatched to the grid worker like any alert. The next sign of life
 * clears it; the worker still closes it after checking.
 */
import type { JournalEntry } from '../../gateway/journal/ingest-journal.ts';
import { text } from '../../contract/index.ts';
import type { Clock } from '../clock.ts';
import type { Database } from '../db/database.ts';
import type { Logger } from '../logger.ts';
import type { RuleSignal } from '../rules/signals.ts';
import type { HouseholdStore } from './household-store.ts';
import { LEARN_WINDOW_MS, quietPeriod } from './quiet-period.ts';

export const INACTIVITY_RULE = 'care.inactivity';
const TITLE = text('独居老人长时间无活动，请上门查看', 'No sign of life at the home of an elderly person living alone: please check');
const HOUR_MS = 3_600_000;

/** Whether a stored message is a sign of life in the home. */
export function isSignOfLife(entry: Pick<JournalEntry, 'kind' | 'message'>): boolean {
  const { kind, message } = entry;
  if (kind === 'door_contact') return message.type === 'event' && (message.event === 'open' || message.event === 'close');
  if (kind === 'water_meter') return message.type === 'telemetry' && typeof message.values.flow_l === 'number' && message.values.flow_l > 0;
  return false;
}

export class InactivityMonitor {
  constructor(
    private readonly deps: {
      db: Database;
      households: HouseholdStore;
      handle: (signals: RuleSignal[]) => Promise<void>;
      clock: Clock;
      logger: Logger;
    },
  ) {}

  /** Records the signs of life in a stored batch and clears the alerts of households that stirred. */
  async observe(entries: readonly JournalEntry[]): Promise<void> {
    const latest = new Map<string, number>();
    for (const entry of entries) {
      if (!isSignOfLife(entry)) continue;
      const { deviceId, ts } = entry.message;
      latest.set(deviceId, Math.max(latest.get(deviceId) ?? 0, ts));
    }
    if (!latest.size) return;
    const { db } = this.deps;
    const { rows } = await db.query<{ id: string; household_id: string }>('SELECT id, household_id FROM devices WHERE id = ANY($1::text[]) AND household_id IS NOT NULL', [[...latest.keys()]]);
    if (!rows.length) return;
    const households = rows.map((r) => r.household_id);
    const times = rows.map((r) => new Date(latest.get(r.id)!));
    await db.query(
      `INSERT INTO household_activity (household_id, hour) SELECT h, date_trunc('hour', t) FROM unnest($1::text[], $2::timestamptz[]) AS u(h, t) ON CONFLICT DO NOTHING`,
      [households, times],
    );
    await db.query(
      `UPDATE households h SET last_activity_at = GREATEST(h.last_activity_at, u.t) FROM (SELECT h, max(t) AS t FROM unnest($1::text[], $2::timestamptz[]) AS u(h, t) GROUP BY h) u WHERE h.id = u.h`,
      [households, times],
    );
    const open = await db.query<{ device_id: string; household_id: string }>(
      `SELECT a.device_id, d.household_id FROM alerts a JOIN devices d ON d.id = a.device_id
        WHERE a.rule_id = $1 AND a.status <> 'resolved' AND a.cleared_at IS NULL AND d.household_id = ANY($2::text[])`,
      [INACTIVITY_RULE, households],
    );
    if (open.rows.length) {
      const at = Math.max(...times.map((t) => t.getTime()));
      await this.deps.handle(open.rows.map((r) => ({ type: 'clear', ruleId: INACTIVITY_RULE, deviceId: r.device_id, at })));
    }
  }

  /** Raises an alert for every quiet household not yet alerted for this quiet spell. Returns how many. */
  async sweep(): Promise<number> {
    const now = this.deps.clock.now();
    const { rows } = await this.deps.db.query<{ id: string; override: number | null; since: Date; device_id: string; alerted: boolean }>(
      `SELECT h.id, h.inactivity_period_s AS override, COALESCE(h.last_activity_at, h.created_at) AS since, dev.id AS device_id,
              EXISTS (SELECT 1 FROM alerts a WHERE a.rule_id = $1 AND a.device_id = dev.id AND a.raised_at >= COALESCE(h.last_activity_at, h.created_at)) AS alerted
         FROM households h
         JOIN LATERAL (SELECT d.id FROM devices d WHERE d.household_id = h.id AND d.kind IN ('door_contact', 'water_meter') AND NOT d.test_mode
                        ORDER BY d.kind = 'door_contact' DESC, d.id LIMIT 1) dev ON TRUE
        WHERE EXISTS (SELECT 1 FROM residents r WHERE r.household_id = h.id AND r.lives_alone)`,
      [INACTIVITY_RULE],
    );
    const candidates = rows.filter((r) => !r.alerted);
    if (!candidates.length) return 0;
    const learned = await this.deps.households.learnedQuiet(candidates.map((c) => c.id), now);
    const signals: RuleSignal[] = [];
    for (const c of candidates) {
      const { periodS } = quietPeriod({ overrideS: c.override, ...(learned.get(c.id) ?? { firstActivity: null, longestGapMs: null }), now });
      const quietMs = now - c.since.getTime();
      if (quietMs < periodS * 1000) continue;
      signals.push({ type: 'raise', ruleId: INACTIVITY_RULE, title: TITLE, category: 'medical', deviceId: c.device_id, level: 'yellow', value: Math.round(quietMs / HOUR_MS), at: now });
      this.deps.logger.info({ householdId: c.id, quietHours: Math.round(quietMs / HOUR_MS), periodS }, 'household quiet for too long');
    }
    if (signals.length) await this.deps.handle(signals);
    return signals.length;
  }

  /** Activity hours older than the learning window are no longer needed. */
  async prune(): Promise<void> {
    await this.deps.db.query('DELETE FROM household_activity WHERE hour < $1', [new Date(this.deps.clock.now() - 2 * LEARN_WINDOW_MS)]);
  }
}
