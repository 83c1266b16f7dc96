/** Words for timeline entries, from the history's `detail` (unknown JSON: read defensively) and the notifications. */
import type { TimelineEntry } from './timeline.ts';

export interface TimelineWords {
  t: (key: string, params?: Record<string, unknown>) => string;
  te: (key: string) => boolean;
  localized: (text: { 'zh-CN': string; en: string }) => string;
  deviceName: (id: string) => string;
}

function read(detail: unknown, key: string): unknown {
  return detail && typeof detail === 'object' ? (detail as Record<string, unknown>)[key] : undefined;
}

function text(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
}

function names(value: unknown): string {
  if (!Array.isArray(value)) return '';
  return value.map((v) => (typeof v === 'string' ? v : text(read(v, 'name')))).filter(Boolean).join('、');
}

function channel(type: string, w: TimelineWords): string {
  return w.te(`incident.channels.${type}`) ? w.t(`incident.channels.${type}`) : type;
}

function historyText(action: string, detail: unknown, w: TimelineWords): string {
  const { t, te } = w;
  const level = (value: unknown) => (te(`levels.${text(value)}`) ? t(`levels.${text(value)}`) : text(value));
  switch (action) {
    case 'opened':
      return t('incident.actions.opened', { level: level(read(detail, 'level')) });
    case 'alert_joined':
      return t('incident.actions.alert_joined', { device: w.deviceName(text(read(detail, 'deviceId'))) });
    case 'confirmed': {
      const as = text(read(detail, 'as'));
      return t('incident.actions.confirmed', { what: te(`incident.category.${as}`) ? t(`incident.category.${as}`) : as });
    }
    case 'level_raised':
      return t('incident.actions.level_raised', { level: level(read(detail, 'to')) });
    case 'notified':
      return t(read(detail, 'event') === 'alert.reminder' ? 'incident.actions.reminded' : 'incident.actions.notified', { names: names(read(detail, 'recipients')) || '—' });
    case 'not_paged': {
      const reason = text(read(detail, 'reason'));
      return t('incident.actions.not_paged', { reason: te(`incident.reasons.${reason}`) ? t(`incident.reasons.${reason}`) : reason });
    }
    case 'escalated':
      return t('incident.actions.escalated', { stage: text(read(detail, 'stage')), names: names(read(detail, 'to')) || '—' });
    case 'on_site_overdue':
    case 'acknowledged':
    case 'on_site':
    case 'resolved':
      return t(`incident.actions.${action}`);
    default:
      return t('incident.actions.other', { action });
  }
}

export function entryText(entry: TimelineEntry, w: TimelineWords): string {
  switch (entry.kind) {
    case 'history':
      return historyText(entry.action, entry.detail, w);
    case 'attempt': {
      const params = { channel: channel(entry.notification.channelType, w), name: entry.notification.recipient.name };
      const main = entry.ok ? w.t('incident.attemptOk', params) : w.t('incident.attemptFailed', { ...params, error: entry.error ?? String(entry.statusCode ?? '') });
      return `${main}（${w.t('incident.attemptNumber', { n: entry.attempt })}）`;
    }
    case 'queued':
      return w.t('incident.queued', { channel: channel(entry.notification.channelType, w), name: entry.notification.recipient.name });
    case 'broadcast':
      return w.t('incident.broadcast', { text: w.localized(entry.broadcast.text) });
    case 'receipt':
      return w.t('incident.receipt', { device: w.deviceName(entry.deviceId) });
  }
}

/** Which group an entry belongs to, for its icon and label. */
export function entryGroup(entry: TimelineEntry): 'history' | 'notification' | 'broadcast' {
  if (entry.kind === 'history') return 'history';
  if (entry.kind === 'broadcast' || entry.kind === 'receipt') return 'broadcast';
  return 'notification';
}
