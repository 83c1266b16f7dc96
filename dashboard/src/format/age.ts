/** Local date and time formatting through Intl: relative ages ("3 分钟前" / "3 minutes ago") and timestamps. */

const relativeFormats = new Map<string, Intl.RelativeTimeFormat>();
const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();

function relativeFormat(locale: string): Intl.RelativeTimeFormat {
  let format = relativeFormats.get(locale);
  if (!format) {
    format = new Intl.RelativeTimeFormat(locale, { numeric: 'always', style: 'long' });
    relativeFormats.set(locale, format);
  }
  return format;
}

/** How long ago `iso` was, relative to `now` (epoch ms), in the locale's words. */
export function relativeAge(iso: string, now: number, locale: string): string {
  const seconds = Math.max(0, Math.floor((now - Date.parse(iso)) / 1000));
  const format = relativeFormat(locale);
  if (seconds < 60) return format.format(-seconds, 'second');
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return format.format(-minutes, 'minute');
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return format.format(-hours, 'hour');
  return format.format(-Math.floor(hours / 24), 'day');
}

/** A full local date and time, e.g. for a title attribute or a `<time>` element. */
export function formatDateTime(iso: string, locale: string): string {
  let format = dateTimeFormats.get(locale);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'medium' });
    dateTimeFormats.set(locale, format);
  }
  return format.format(new Date(iso));
}
