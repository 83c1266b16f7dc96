/** Reads telemetry and events back: raw points, or per-bucket aggregates (min, max, avg, last). */
import type { Bucket, DeviceEvent, TelemetryPoint } from '../../contract/index.ts';
import type { Database } from '../db/database.ts';
import { isoRequired } from '../db/sql.ts';

const BUCKET_INTERVAL: Record<Bucket, string> = { '1m': '1 minute', '1h': '1 hour', '1d': '1 day' };

export interface TimeRange {
  from: number;
  to: number;
}

export class TelemetryHistory {
  constructor(private readonly db: Database) {}

  /** Points in ascending time; raw queries return the latest `limit` points of the range. */
  async readings(deviceId: string, metric: string, range: TimeRange, bucket: Bucket | undefined, limit: number): Promise<TelemetryPoint[]> {
    const params = [deviceId, metric, new Date(range.from), new Date(range.to), limit];
    if (!bucket) {
      const { rows } = await this.db.query<{ ts: Date; value: number }>(
        `SELECT ts, value FROM (
           SELECT ts, value FROM readings WHERE device_id = $1 AND metric = $2 AND ts >= $3 AND ts <= $4 ORDER BY ts DESC LIMIT $5
         ) latest ORDER BY ts`,
        params,
      );
      return rows.map((r) => ({ ts: isoRequired(r.ts), value: r.value }));
    }
    const { rows } = await this.db.query<{ bucket: Date; min: number; max: number; avg: number; last: number; count: number }>(
      `SELECT * FROM (
         SELECT date_bin($6::interval, ts, TIMESTAMPTZ '2000-01-01 00:00:00+00') AS bucket,
                min(value) AS min, max(value) AS max, avg(value) AS avg,
                (array_agg(value ORDER BY ts DESC))[1] AS last, count(*)::int AS count
           FROM readings WHERE device_id = $1 AND metric = $2 AND ts >= $3 AND ts <= $4
          GROUP BY 1 ORDER BY 1 DESC LIMIT $5
       ) b ORDER BY bucket`,
      [...params, BUCKET_INTERVAL[bucket]],
    );
    return rows.map((r) => ({ ts: isoRequired(r.bucket), value: r.avg, min: r.min, max: r.max, avg: r.avg, last: r.last, count: r.count }));
  }

  /** Newest first. */
  async events(deviceId: string, range: TimeRange, limit: number): Promise<DeviceEvent[]> {
    const { rows } = await this.db.query<{ ts: Date; event: string; data: Record<string, unknown> | null; seq: string | null }>(
      `SELECT ts, event, data, seq FROM events WHERE device_id = $1 AND ts >= $2 AND ts <= $3 ORDER BY ts DESC, id DESC LIMIT $4`,
      [deviceId, new Date(range.from), new Date(range.to), limit],
    );
    return rows.map((r) => ({ ts: isoRequired(r.ts), event: r.event, data: r.data, seq: r.seq === null ? null : Number(r.seq) }));
  }
}
