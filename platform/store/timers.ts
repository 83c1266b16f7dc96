/**
 * Persisted timers (table `timers`). Firing deletes the row in the transaction that applies the timer's
 * effect, so a restart neither forgets a timer nor fires one twice.
 */
import type pg from 'pg';
import { type Database, inTransaction, type Queryable } from '../db/database.ts';

export interface Timer {
  key: string;
  dueAt: number;
  kind: string;
  payload: Record<string, unknown>;
}

export type TimerChange = { op: 'set'; key: string; dueAt: number; kind: string; payload: object } | { op: 'cancel'; key: string };

export class TimerStore {
  constructor(private readonly db: Database) {}

  /** Applies many changes in two statements; the last change of a key wins. */
  async apply(changes: readonly TimerChange[], q: Queryable = this.db): Promise<void> {
    if (!changes.length) return;
    const last = new Map<string, TimerChange>();
    for (const change of changes) last.set(change.key, change);
    const sets = [...last.values()].filter((c): c is Extract<TimerChange, { op: 'set' }> => c.op === 'set');
    const cancels = [...last.values()].filter((c) => c.op === 'cancel').map((c) => c.key);
    if (sets.length) {
      await q.query(
        `INSERT INTO timers (key, due_at, kind, payload) SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::text[], $4::jsonb[])
         ON CONFLICT (key) DO UPDATE SET due_at = EXCLUDED.due_at, kind = EXCLUDED.kind, payload = EXCLUDED.payload`,
        [sets.map((s) => s.key), sets.map((s) => new Date(s.dueAt)), sets.map((s) => s.kind), sets.map((s) => JSON.stringify(s.payload))],
      );
    }
    if (cancels.length) await q.query('DELETE FROM timers WHERE key = ANY($1::text[])', [cancels]);
  }

  async get(key: string): Promise<Timer | undefined> {
    const { rows } = await this.db.query<{ key: string; due_at: Date; kind: string; payload: Record<string, unknown> }>('SELECT * FROM timers WHERE key = $1', [key]);
    const r = rows[0];
    return r && { key: r.key, dueAt: r.due_at.getTime(), kind: r.kind, payload: r.payload };
  }

  /**
   * Fires every timer due at `now`, one transaction each: the row is taken (skipping rows another
   * instance holds), the handler applies the effect with the same client, and the row is deleted.
   */
  async fireDue(now: number, handle: (timer: Timer, client: pg.PoolClient) => Promise<(() => Promise<void>) | void>, limit = 200): Promise<number> {
    let fired = 0;
    while (fired < limit) {
      const outcome = await inTransaction(this.db, async (client) => {
        const { rows } = await client.query<{ key: string; due_at: Date; kind: string; payload: Record<string, unknown> }>(
          'SELECT * FROM timers WHERE due_at <= $1 ORDER BY due_at, key LIMIT 1 FOR UPDATE SKIP LOCKED',
          [new Date(now)],
        );
        const r = rows[0];
        if (!r) return undefined;
        await client.query('DELETE FROM timers WHERE key = $1', [r.key]);
        return { announce: await handle({ key: r.key, dueAt: r.due_at.getTime(), kind: r.kind, payload: r.payload }, client) };
      });
      if (!outcome) break;
      fired++;
      // What the effect announces (live events, deliveries) happens only once it is committed.
      await outcome.announce?.();
    }
    return fired;
  }
}
