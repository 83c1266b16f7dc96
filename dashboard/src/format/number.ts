/** Numbers and shares in the locale's form through Intl: "48.9%" / "48.9%", "6,200" / "6,200". */
const formats = new Map<string, Intl.NumberFormat>();

function format(locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let f = formats.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale, options);
    formats.set(key, f);
  }
  return f;
}

/** A ratio (0–1) as a percentage with at most one decimal. */
export function formatRatio(ratio: number, locale: string): string {
  return format(locale, { style: 'percent', maximumFractionDigits: 1 }).format(ratio);
}

/** A value already in per cent (the API's `onTimePct`, `goodPct`). */
export function formatPct(pct: number, locale: string): string {
  return formatRatio(pct / 100, locale);
}

/** A plain number with grouping and at most two decimals. */
export function formatNumber(value: number, locale: string): string {
  return format(locale, { maximumFractionDigits: 2 }).format(value);
}
