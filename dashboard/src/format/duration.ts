/**
 * Durations in the locale's words through Intl ("1天3小时" / "1 day, 3 hours"): the two largest units
 * that are not zero. `Intl.DurationFormat` is not in every browser a wall PC or phone runs yet, so the
 * parts come from `Intl.NumberFormat` unit styles joined by `Intl.ListFormat`.
 */
const UNITS = [
  ['day', 86_400],
  ['hour', 3600],
  ['minute', 60],
  ['second', 1],
] as const;

const numberFormats = new Map<string, Intl.NumberFormat>();
const listFormats = new Map<string, Intl.ListFormat>();

function unitFormat(locale: string, unit: string): Intl.NumberFormat {
  const key = `${locale}|${unit}`;
  let format = numberFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'long' });
    numberFormats.set(key, format);
  }
  return format;
}

function listFormat(locale: string): Intl.ListFormat {
  let format = listFormats.get(locale);
  if (!format) {
    format = new Intl.ListFormat(locale, { type: 'unit', style: 'short' });
    listFormats.set(locale, format);
  }
  return format;
}

/** `seconds` as at most `parts` units, largest first; under a minute counts seconds, longer drops them. */
export function formatDuration(seconds: number, locale: string, parts = 2): string {
  let left = Math.max(0, Math.round(Math.abs(seconds)));
  const units = left >= 60 ? UNITS.filter(([unit]) => unit !== 'second') : UNITS.filter(([unit]) => unit === 'second');
  const out: string[] = [];
  for (const [unit, size] of units) {
    const n = Math.floor(left / size);
    left -= n * size;
    if (n > 0 || (out.length > 0 && out.length < parts)) out.push(unitFormat(locale, unit).format(n));
    if (out.length >= parts) break;
  }
  // Drop a trailing zero part ("2 hours, 0 minutes" reads as "2 hours").
  while (out.length > 1 && /^0\D/.test(out.at(-1)!)) out.pop();
  return listFormat(locale).format(out.length ? out : [unitFormat(locale, units.at(-1)![0]).format(0)]);
}

/** Minutes as a duration ("8小时" / "8 hours"). */
export function formatMinutes(minutes: number, locale: string): string {
  return formatDuration(minutes * 60, locale);
}
