/** A list in the locale's words through Intl: "一网格、二网格" / "Grid 1, Grid 2". */
const formats = new Map<string, Intl.ListFormat>();

export function formatList(items: readonly string[], locale: string): string {
  let format = formats.get(locale);
  if (!format) {
    format = new Intl.ListFormat(locale, { style: 'narrow', type: 'conjunction' });
    formats.set(locale, format);
  }
  return format.format(items);
}
