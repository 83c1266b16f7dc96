/**
 * The indicators as CSV for the spreadsheets planners keep: UTF-8 with a byte-order mark (so Excel reads
 * the Chinese names), one row per indicator and community plus a total row, both languages in the header.
 */
import type { IndicatorResult } from '../../contract/index.ts';

const HEADER = ['编号 No.', '指标 Indicator', 'Indicator', '社区 Community', '类型 Kind', '数值 Value', '单位 Unit', '2020年基数 2020 base', '2025年目标 2025 target', '达标 Met'];

function cell(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  // Quote what needs it; neutralise a leading = + - @ so a spreadsheet never runs a name as a formula.
  const safe = /^[=+\-@]/.test(text) && typeof value === 'string' ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

const met = (value: boolean | null) => (value === null ? '无数据 no data' : value ? '是 yes' : '否 no');

export function indicatorsCsv(indicators: readonly IndicatorResult[]): string {
  const rows: (string | number | null)[][] = [HEADER];
  for (const i of indicators) {
    const common = [i.id, i.name['zh-CN'], i.name.en];
    const tail = (value: number | null, ok: boolean | null) => [value, `${i.unit['zh-CN']} ${i.unit.en}`.trim(), i.base2020, `≥ ${i.target2025}`, met(ok)];
    rows.push([...common, '合计 Total', i.applies, ...tail(i.total.value, i.total.met)]);
    for (const c of i.communities) rows.push([...common, c.name, c.kind, ...tail(c.value, c.met)]);
  }
  return `\uFEFF${rows.map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`;
}
