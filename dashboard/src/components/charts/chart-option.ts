/**
 * The ECharts option for one metric, built as plain data from the shaped series (see series.ts).
 * Times are formatted with Intl for the current locale; colours follow the dashboard's.
 */
import type { Range } from './ranges.ts';
import { formatValue, type MetricSeries } from './series.ts';

export interface ChartLabels {
  /** Metric name in the current language, e.g. "燃气浓度". */
  name: string;
  unit: string;
  locale: string;
  range: Range;
  /** Series names for the tooltip: the average and the min–max band (bucketed only). */
  averageName: string;
  bandName: string;
  /** The range asked for (epoch ms): the time axis spans all of it, so a gap in the data shows as a gap. */
  from?: number;
  to?: number;
}

export const LINE_COLOUR = '#0b57d0';
const BAND_COLOUR = 'rgba(11, 87, 208, 0.16)';
const AXIS_TEXT = '#4a4f57';

function timeFormat(range: Range, locale: string): Intl.DateTimeFormat {
  return range === '1h' || range === '24h'
    ? new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' })
    : new Intl.DateTimeFormat(locale, { month: 'numeric', day: 'numeric', hour: '2-digit' });
}

export function chartOption(series: MetricSeries, labels: ChartLabels): Record<string, unknown> {
  const axisTime = timeFormat(labels.range, labels.locale);
  const fullTime = new Intl.DateTimeFormat(labels.locale, { dateStyle: 'short', timeStyle: 'short' });
  const value = (v: number) => `${formatValue(v, labels.locale)}${labels.unit ? ` ${labels.unit}` : ''}`;

  const seriesList: Record<string, unknown>[] = [];
  if (series.band) {
    seriesList.push(
      { id: 'low', name: labels.bandName, type: 'line', data: series.band.low, stack: 'band', symbol: 'none', lineStyle: { opacity: 0 }, silent: true, tooltip: { show: false } },
      { id: 'spread', name: labels.bandName, type: 'line', data: series.band.spread, stack: 'band', symbol: 'none', lineStyle: { opacity: 0 }, areaStyle: { color: BAND_COLOUR }, silent: true, tooltip: { show: false } },
    );
  }
  seriesList.push({
    id: 'value',
    name: series.bucketed ? labels.averageName : labels.name,
    type: 'line',
    data: series.line,
    showSymbol: series.line.length < 60,
    symbolSize: 5,
    lineStyle: { width: 2, color: LINE_COLOUR },
    itemStyle: { color: LINE_COLOUR },
  });

  return {
    animation: false,
    grid: { left: 56, right: 16, top: 28, bottom: 32 },
    textStyle: { fontFamily: 'inherit' },
    tooltip: {
      trigger: 'axis',
      formatter: (params: { seriesId?: string; value: [number, number] }[]) => {
        const main = params.find((p) => p.seriesId === 'value');
        if (!main) return '';
        return `${fullTime.format(main.value[0])}<br/>${labels.name}: <b>${value(main.value[1])}</b>`;
      },
    },
    xAxis: { type: 'time', min: labels.from, max: labels.to, axisLabel: { color: AXIS_TEXT, hideOverlap: true, formatter: (t: number) => axisTime.format(t) } },
    yAxis: { type: 'value', scale: true, name: labels.unit, nameTextStyle: { color: AXIS_TEXT }, axisLabel: { color: AXIS_TEXT } },
    series: seriesList,
  };
}
