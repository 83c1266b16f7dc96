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
  // Rows in the order they first appear; found through device → metric → bucket (no key strings).
  const out: RollupRow[] = [];
  const byDevice = new Map<string, Map<string, Map<number, RollupRow>>>();
  for (const r of readings) {
    const bucket = r.ts - (((r.ts % bucketMs) + bucketMs) % bucketMs);
    let byMetric = byDevice.get(r.deviceId);
    if (!byMetric) byDevice.set(r.deviceId, (byMetric = new Map()));
    for (const metric in r.values) {
      const value = r.values[metric]!;
      let byBucket = byMetric.get(metric);
      if (!byBucket) byMetric.set(metric, (byBucket = new Map()));
      const row = byBucket.get(bucket);
      if (!row) {
        const created = { deviceId: r.deviceId, metric, bucket, min: value, max: value, sum: value, count: 1, last: value, lastTs: r.ts };
        byBucket.set(bucket, created);
        out.push(created);
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
  return out;
}
