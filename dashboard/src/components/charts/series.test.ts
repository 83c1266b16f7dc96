import { describe, expect, it } from 'vitest';
import { chartOption } from './chart-option.ts';
import { rangeQuery } from './ranges.ts';
import { toSeries } from './series.ts';

const NOW = Date.parse('2025-01-08T00:00:00.000Z');

describe('history query per range', () => {
  it('asks raw points for an hour and buckets for longer ranges', () => {
    expect(rangeQuery('gas_lel', '1h', NOW)).toEqual({ metric: 'gas_lel', from: '2025-01-07T23:00:00.000Z', to: '2025-01-08T00:00:00.000Z', limit: 5000 });
    expect(rangeQuery('gas_lel', '24h', NOW)).toMatchObject({ from: '2025-01-07T00:00:00.000Z', bucket: '1m', limit: 1500 });
    expect(rangeQuery('gas_lel', '7d', NOW)).toMatchObject({ from: '2025-01-01T00:00:00.000Z', bucket: '1h' });
    expect(rangeQuery('gas_lel', '30d', NOW)).toMatchObject({ from: '2024-12-09T00:00:00.000Z', bucket: '1h', limit: 750 });
  });
});

describe('telemetry series', () => {
  it('turns raw points into a time-ordered line with latest, min and max', () => {
    const series = toSeries({
      deviceId: 'd1',
      metric: 'gas_lel',
      bucket: null,
      points: [
        { ts: '2025-01-07T23:30:00.000Z', value: 4 },
        { ts: '2025-01-07T23:10:00.000Z', value: 1.5 },
      ],
    });
    expect(series.line).toEqual([
      [Date.parse('2025-01-07T23:10:00.000Z'), 1.5],
      [Date.parse('2025-01-07T23:30:00.000Z'), 4],
    ]);
    expect(series.band).toBeNull();
    expect(series.stats).toEqual({ latest: 4, min: 1.5, max: 4, latestAt: Date.parse('2025-01-07T23:30:00.000Z') });
  });

  it('draws buckets as the average with a min–max band, and takes the last value as the latest', () => {
    const series = toSeries({
      deviceId: 'd1',
      metric: 'water_level_cm',
      bucket: '1h',
      points: [
        { ts: '2025-01-07T22:00:00.000Z', value: 3, min: 1, max: 6, avg: 3, last: 5, count: 60 },
        { ts: '2025-01-07T23:00:00.000Z', value: 7, min: 4, max: 12, avg: 7, last: 11, count: 60 },
      ],
    });
    expect(series.line.map((p) => p[1])).toEqual([3, 7]);
    expect(series.band!.low.map((p) => p[1])).toEqual([1, 4]);
    expect(series.band!.spread.map((p) => p[1])).toEqual([5, 8]);
    expect(series.stats).toMatchObject({ latest: 11, min: 1, max: 12 });
  });

  it('has no figures for an empty answer', () => {
    expect(toSeries({ deviceId: 'd1', metric: 'battery', bucket: '1m', points: [] }).stats).toBeNull();
  });

  it('builds an ECharts option with the band under the line and a localised tooltip', () => {
    const series = toSeries({ deviceId: 'd1', metric: 'gas_lel', bucket: '1m', points: [{ ts: '2025-01-07T23:00:00.000Z', value: 2, min: 1, max: 3, avg: 2, last: 2, count: 5 }] });
    const option = chartOption(series, { name: '燃气浓度', unit: '%LEL', locale: 'zh-CN', range: '24h', averageName: '平均', bandName: '范围', from: 1, to: 2 });
    expect(option.xAxis).toMatchObject({ type: 'time', min: 1, max: 2 });
    const list = option.series as { id: string; stack?: string; data: unknown[] }[];
    expect(list.map((s) => s.id)).toEqual(['low', 'spread', 'value']);
    expect(list[0]!.stack).toBe('band');
    const formatter = (option.tooltip as { formatter: (p: unknown[]) => string }).formatter;
    expect(formatter([{ seriesId: 'value', value: [Date.parse('2025-01-07T23:00:00.000Z'), 2.456] }])).toContain('燃气浓度: <b>2.46 %LEL</b>');
  });
});
