/**
 * Reads telemetry and events back: raw points, or per-bucket aggregates (min, max, avg, last) from the
 * rollups (readings_1m, readings_1h: tables kept in the write transaction, or TimescaleDB continuous
 * aggregates — the same columns either way). Buckets are whole: a bucket overlapping the range counts.
 */
import type { Bucket, DeviceEvent, TelemetryPoint } from '../../contract/index.ts';
import type { Database } from '../db/database.ts';
import { isoRequired } from '../db/sql.ts';

export const BUCKET_MS: Record<Bucket, number> = { '1m': 60_000, '1h': 3_600_000, '1d': 86_400_000 };
const ORIGIN = `TIMESTAMPTZ '2000-01-01 00:00:00+00'`;

export interface TimeRange {
  from: number;
  to: number;
}

interface BucketRow {
  bucket: Date;
  min: number;
  max: number;
  avg: number;
  last: number;
  count: string;
}

const toPoint = (r: BucketRow): TelemetryPoint => ({ ts: isoRequired(r.bucket), value: r.avg, min: r.min, max: r.max, avg: r.avg, last: r.last, count: Number(r.count) });

/** The rollup that serves a bucket size, and the SQL that turns its rows into that bucket. */
function source(bucket: Bucket): { table: string; key: string } {
  if (bucket === '1m') return { table: 'readings_1m', key: 'bucket' };
  if (bucket === '1h') return { table: 'readings_1h', key: 'bucket' };
  return { table: 'readings_1h', key: `date_bin('1 day', bucket, ${ORIGIN})` };
}

export class TelemetryHistory {
  constructor(private readonly db: Database) {}

  /** Points in ascending time; raw queries return the latest `limit` points of the range. */
  async readings(deviceId: string, metric: string, range: TimeRange, bucket: Bucket | undefined, limit: number): Promise<TelemetryPoint[]> {
    if (!bucket) {
      const { rows } = await this.db.query<{ ts: Date; value: number }>(
        `SELECT ts, value FROM (
           SELECT ts, value FROM readings WHERE device_id = $1 AND metric = $2 AND ts >= $3 AND ts <= $4 ORDER BY ts DESC LIMIT $5
         ) latest ORDER BY ts`,
        [deviceId, metric, new Date(range.from), new Date(range.to), limit],
      );
      return rows.map((r) => ({ ts: isoRequired(r.ts), value: r.value }));
    }
    const { table, key } = source(bucket);
    const { rows } = await this.db.query<BucketRow>(
      `SELECT * FROM (
         SELECT ${key} AS bucket, min(min) AS min, max(max) AS max, sum(sum) / sum(count) AS avg,
                (array_agg(last ORDER BY last_ts DESC))[1] AS last, sum(count) AS count
           FROM ${table}
          WHERE device_id = $1 AND metric = $2 AND bucket >= date_bin($6::interval, $3::timestamptz, ${ORIGIN}) AND bucket <= $4
          GROUP BY 1 ORDER BY 1 DESC LIMIT $5
       ) b ORDER BY bucket`,
      [deviceId, metric, new Date(range.from), new Date(range.to), limit, `${BUCKET_MS[bucket] / 1000} seconds`],
    );
    return rows.map(toPoint);
  }

  /** A metric across a community's devices (optionally of one kind), per bucket. */
  async community(communityId: string, metric: string, range: TimeRange, bucket: Bucket, kind: string | undefined, limit: number): Promise<(TelemetryPoint & { devices: number })[]> {
    const { table, key } = source(bucket);
    const { rows } = await this.db.query<BucketRow & { devices: string }>(
      `SELECT * FROM (
         SELECT ${key.replace('bucket', 'r.bucket')} AS bucket, min(r.min) AS min, max(r.max) AS max, sum(r.sum) / sum(r.count) AS avg,
                (array_agg(r.last ORDER BY r.last_ts DESC))[1] AS last, sum(r.count) AS count, count(DISTINCT r.device_id) AS devices
           FROM ${table} r JOIN devices d ON d.id = r.device_id
          WHERE d.community_id = $1 AND r.metric = $2 AND ($7::text IS NULL OR d.kind = $7)
            AND r.bucket >= date_bin($6::interval, $3::timestamptz, ${ORIGIN}) AND r.bucket <= $4
          GROUP BY 1 ORDER BY 1 DESC LIMIT $5
       ) b ORDER BY bucket`,
      [communityId, metric, new Date(range.from), new Date(range.to), limit, `${BUCKET_MS[bucket] / 1000} seconds`, kind ?? null],
    );
    return rows.map((r) => ({ ...toPoint(r), devices: Number(r.devices) }));
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
