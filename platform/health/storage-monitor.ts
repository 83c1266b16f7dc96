/**
 * Watches the database. Unreachable for `faultAfterMs`, it raises a blue "storage fault" platform alert
 * (live to admins and operators, and in /metrics); when storage is back the alert is cleared and recorded.
 * The checks run on the injected clock.
 */
import { text, type SystemAlert } from '../../contract/index.ts';
import type { Clock } from '../clock.ts';
import type { Database } from '../db/database.ts';
import { isoRequired } from '../db/sql.ts';
import { newId } from '../ids.ts';
import type { LiveHub } from '../live/hub.ts';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../metrics.ts';

const TITLE = text('存储故障：数据库不可用，数据暂存于本地日志', 'Storage fault: the database is unreachable; data waits in the local journal');

export class StorageMonitor {
  private downSince: number | undefined;
  private fault: SystemAlert | undefined;
  private timer: unknown;
  private checking = false;

  constructor(
    private readonly deps: { db: Database; clock: Clock; live: LiveHub; metrics: Metrics; logger: Logger },
    private readonly options: { everyMs: number; faultAfterMs: number } = { everyMs: 10_000, faultAfterMs: 30_000 },
  ) {}

  start(): void {
    this.timer = this.deps.clock.setInterval(() => void this.check(), this.options.everyMs);
  }

  stop(): void {
    this.deps.clock.clearInterval(this.timer);
  }

  /** The open storage fault, if any. */
  get current(): SystemAlert | undefined {
    return this.fault;
  }

  async check(): Promise<void> {
    if (this.checking) return;
    this.checking = true;
    try {
      const up = await this.probe();
      this.deps.metrics.storageUp.set(up ? 1 : 0);
      const now = this.deps.clock.now();
      if (!up) {
        this.downSince ??= now;
        if (!this.fault && now - this.downSince >= this.options.faultAfterMs) this.raise(this.downSince);
        return;
      }
      this.downSince = undefined;
      if (this.fault) await this.clear(now);
    } finally {
      this.checking = false;
    }
  }

  private async probe(): Promise<boolean> {
    const client = await this.deps.db.connect().catch(() => undefined);
    if (!client) return false;
    try {
      await client.query({ text: 'SELECT 1', query_timeout: 5000 } as never);
      return true;
    } catch {
      return false;
    } finally {
      client.release();
    }
  }

  private raise(since: number): void {
    this.fault = { id: newId('sys'), code: 'storage_fault', level: 'blue', title: TITLE, detail: { since: new Date(since).toISOString() }, raisedAt: new Date(since).toISOString(), clearedAt: null };
    this.deps.logger.error({ since: this.fault.raisedAt }, 'storage fault: the database has been unreachable');
    this.deps.live.publishToStaff({ type: 'system.alert', alert: this.fault });
  }

  private async clear(now: number): Promise<void> {
    const cleared = { ...this.fault!, clearedAt: new Date(now).toISOString() };
    try {
      await this.deps.db.query('INSERT INTO system_alerts (id, code, level, title, detail, raised_at, cleared_at) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
        cleared.id,
        cleared.code,
        cleared.level,
        JSON.stringify(cleared.title),
        JSON.stringify(cleared.detail),
        cleared.raisedAt,
        cleared.clearedAt,
      ]);
    } catch (error) {
      this.deps.logger.warn({ err: error }, 'could not record the storage fault; will retry');
      return;
    }
    this.fault = undefined;
    this.deps.logger.info({ since: cleared.raisedAt, until: cleared.clearedAt }, 'storage recovered');
    this.deps.live.publishToStaff({ type: 'system.alert', alert: cleared });
  }

  async history(limit = 100): Promise<SystemAlert[]> {
    const { rows } = await this.deps.db.query<{ id: string; code: string; level: SystemAlert['level']; title: SystemAlert['title']; detail: unknown; raised_at: Date; cleared_at: Date | null }>(
      'SELECT * FROM system_alerts ORDER BY raised_at DESC LIMIT $1',
      [limit],
    );
    const recorded = rows.map((r) => ({ id: r.id, code: r.code, level: r.level, title: r.title, detail: r.detail, raisedAt: isoRequired(r.raised_at), clearedAt: r.cleared_at ? isoRequired(r.cleared_at) : null }));
    return this.fault ? [this.fault, ...recorded] : recorded;
  }
}
