/**
 * Keeps the partitioned layout healthy: daily partitions exist for every day a reading may carry
 * (30 days back, the ingest limit, to a week ahead), and partitions and rollups past retention are dropped.
 * TimescaleDB does both itself (chunks, retention policies).
 */
import type { Database } from '../db/database.ts';
import type { Logger } from '../logger.ts';
import type { StorageEngine } from './layout.ts';

export interface Retention {
  readingsDays: number;
  eventsDays: number;
  minuteRollupDays: number;
}

export const DEFAULT_RETENTION: Retention = { readingsDays: 90, eventsDays: 730, minuteRollupDays: 400 };

const DAY = 86_400_000;
const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export class PartitionMaintainer {
  constructor(
    private readonly db: Database,
    private readonly engine: StorageEngine,
    private readonly logger: Logger,
    private readonly retention: Retention = DEFAULT_RETENTION,
  ) {}

  /** TimescaleDB drops old chunks itself: its retention policies are set to the configured days at start. */
  async applyPolicies(): Promise<void> {
    if (this.engine !== 'timescaledb') return;
    const policies = [
      ['readings', this.retention.readingsDays],
      ['events', this.retention.eventsDays],
      ['readings_1m', this.retention.minuteRollupDays],
    ] as const;
    for (const [relation, days] of policies) {
      await this.db.query('SELECT remove_retention_policy($1::regclass, if_exists => true)', [relation]);
      await this.db.query('SELECT add_retention_policy($1::regclass, drop_after => make_interval(days => $2::int))', [relation, days]);
    }
  }

  /** Partitioned layout: creates the coming days' partitions and drops those past retention. */
  async run(now: number): Promise<{ created: number; dropped: number }> {
    if (this.engine !== 'partitioned') return { created: 0, dropped: 0 };
    let created = 0;
    let dropped = 0;
    for (const [table, keepDays] of [['readings', this.retention.readingsDays], ['events', this.retention.eventsDays]] as const) {
      const from = utcDay(now - 31 * DAY);
      const { rows } = await this.db.query<{ n: number }>('SELECT anju_ensure_partitions($1, $2::date, $3::date) AS n', [table, from, utcDay(now + 8 * DAY)]);
      created += rows[0]!.n;
      const gone = await this.db.query<{ n: number }>('SELECT anju_drop_partitions($1, $2::date) AS n', [table, utcDay(now - keepDays * DAY)]);
      dropped += gone.rows[0]!.n;
    }
    await this.db.query('DELETE FROM readings_1m WHERE bucket < $1', [new Date(now - this.retention.minuteRollupDays * DAY)]);
    if (created || dropped) this.logger.info({ created, dropped }, 'telemetry partitions maintained');
    return { created, dropped };
  }
}
