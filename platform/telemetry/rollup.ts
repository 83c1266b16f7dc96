/** Per-(device, metric, bucket) aggregates of a batch, merged into the rollup tables by the sink. */
import type { NormalisedTelemetry } from '../../gateway/ingest/message.ts';

export interface RollupRow {
  deviceId: string;
  metric: string;
  bucket: number;
  min: number;
  max: number;
  sum: number;
  count: number;
  last: number;
  lastTs: number;
}

export function rollup(readings: readonly NormalisedTelemetry[], bucketMs: number): RollupRow[] {
  const rows = new Map<string, RollupRow>();
  for (const r of readings) {
    const bucket = r.ts - (((r.ts % bucketMs) + bucketMs) % bucketMs);
    for (const metric in r.values) {
      const value = r.values[metric]!;
      const key = `${r.deviceId}\u0000${metric}\u0000${bucket}`;
      const row = rows.get(key);
      if (!row) {
        rows.set(key, { deviceId: r.deviceId, metric, bucket, min: value, max: value, sum: value, count: 1, last: value, lastTs: r.ts });
        continue;
      }
      row.min = Math.min(row.min, value);
      row.max = Math.max(row.max, value);
      row.sum += value;
      row.count++;
      if (r.ts >= row.lastTs) {
        row.last = value;
        row.lastTs = r.ts;
      }
    }
  }
  return [...rows.values()];
}
