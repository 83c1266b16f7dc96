/**
 * Telemetry answers shaped for a chart, as plain data (tested without ECharts): a line of values in
 * time order (raw values, or each bucket's average), a min–max band for buckets, and the figures a
 * screen reader hears instead of the picture.
 */
import type { TelemetryAnswer } from '../../../../contract/index.ts';

export type Point = [time: number, value: number];

export interface MetricSeries {
  metric: string;
  bucketed: boolean;
  line: Point[];
  /** Per bucket: the lowest value and the spread up to the highest (stacked as a band). */
  band: { low: Point[]; spread: Point[] } | null;
  stats: { latest: number; min: number; max: number; latestAt: number } | null;
}

export function toSeries(answer: TelemetryAnswer): MetricSeries {
  const points = [...answer.points].sort((a, b) => Date.parse(a.ts) - Date.parse(b.ts));
  const bucketed = answer.bucket !== null;
  const line: Point[] = points.map((p) => [Date.parse(p.ts), bucketed ? (p.avg ?? p.value) : p.value]);
  const band = bucketed
    ? {
        low: points.map((p): Point => [Date.parse(p.ts), p.min ?? p.value]),
        spread: points.map((p): Point => [Date.parse(p.ts), (p.max ?? p.value) - (p.min ?? p.value)]),
      }
    : null;
  const last = points.at(-1);
  const stats = last
    ? {
        latest: bucketed ? (last.last ?? last.value) : last.value,
        min: Math.min(...points.map((p) => p.min ?? p.value)),
        max: Math.max(...points.map((p) => p.max ?? p.value)),
        latestAt: Date.parse(last.ts),
      }
    : null;
  return { metric: answer.metric, bucketed, line, band, stats };
}

/** A number for people: at most two decimals, none for whole numbers. */
export function formatValue(value: number, locale: string): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(value);
}
