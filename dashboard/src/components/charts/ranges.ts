/**
 * Time ranges of the device charts and the history query for each: raw points for the last hour,
 * per-minute buckets for a day, hourly buckets for a week and a month (enough points for a wall
 * screen's width, all from the rollups the server keeps).
 */
import type { Bucket } from '../../../../contract/index.ts';
import type { TelemetryRangeQuery } from '../../api/types.ts';

export const RANGES = ['1h', '24h', '7d', '30d'] as const;
export type Range = (typeof RANGES)[number];

const HOUR = 3_600_000;
const SPAN_MS: Record<Range, number> = { '1h': HOUR, '24h': 24 * HOUR, '7d': 7 * 24 * HOUR, '30d': 30 * 24 * HOUR };
const BUCKET: Record<Range, Bucket | undefined> = { '1h': undefined, '24h': '1m', '7d': '1h', '30d': '1h' };
/** Enough for every bucket of the range (the API answers the latest `limit`). */
const LIMIT: Record<Range, number> = { '1h': 5000, '24h': 1500, '7d': 200, '30d': 750 };

export function rangeQuery(metric: string, range: Range, now: number): TelemetryRangeQuery {
  const bucket = BUCKET[range];
  return {
    metric,
    from: new Date(now - SPAN_MS[range]).toISOString(),
    to: new Date(now).toISOString(),
    ...(bucket ? { bucket } : {}),
    limit: LIMIT[range],
  };
}

export function rangeSpanMs(range: Range): number {
  return SPAN_MS[range];
}
