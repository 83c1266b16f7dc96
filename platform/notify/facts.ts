/** The facts every notification format is rendered from, taken from the webhook payload alone. */
import { findDeviceKind, LEVEL_NUMERAL, type Alert, type CareProfile, type WarningLevel, type WebhookDelivery } from '../../contract/index.ts';
import { localDateTime } from '../local-time.ts';
import { ACTION_BY_LEVEL, ACTION_BY_STATUS, EVENT_NAME, LEVEL_NAME, POSITION_NAME, STATUS_NAME, type Bilingual } from './labels.ts';

export interface MessageFacts {
  level: WarningLevel;
  levelName: Bilingual;
  numeral: string;
  /** e.g. 红色 I 级预警 / Red (I) warning */
  headline: Bilingual;
  title: Bilingual;
  place: Bilingual;
  /** The device kind's name. */
  device: Bilingual;
  deviceId: string;
  /** Asia/Shanghai local time of the alert, `YYYY-MM-DD HH:mm:ss`. */
  time: string;
  stage: Bilingual;
  status: Bilingual;
  action: Bilingual;
  alertId: string;
  /** Who lives where the alarm went off and whom to call (phones as masked for this recipient). */
  care?: Bilingual;
}

export function messageFacts(payload: WebhookDelivery): MessageFacts {
  const { alert } = payload;
  const levelName = LEVEL_NAME[alert.level];
  const numeral = LEVEL_NUMERAL[alert.level];
  const kind = findDeviceKind(alert.deviceKind);
  return {
    level: alert.level,
    levelName,
    numeral,
    headline: { zh: `${levelName.zh} ${numeral} 级预警`, en: `${levelName.en} (${numeral}) warning` },
    title: { zh: alert.title['zh-CN'], en: alert.title.en },
    place: placeOf(alert),
    device: { zh: kind?.name['zh-CN'] ?? alert.deviceKind, en: kind?.name.en ?? alert.deviceKind },
    deviceId: alert.deviceId,
    time: shanghaiTime(alert.raisedAt),
    stage: stageOf(payload),
    status: STATUS_NAME[alert.status],
    action: ACTION_BY_STATUS[alert.status] ?? ACTION_BY_LEVEL[alert.level],
    alertId: alert.id,
    ...(payload.care?.residents.length ? { care: careLine(payload.care) } : {}),
  };
}

/** 张桂兰 85岁 独居 特困 · 紧急联系人 张明（儿子）13900020001 */
export function careLine(care: CareProfile): Bilingual {
  const zh: string[] = [];
  const en: string[] = [];
  for (const r of care.residents) {
    const flags = [r.livesAlone && ['独居', 'lives alone'], r.specialDifficulty && ['特困', 'special difficulty'], r.disabled && ['残疾', 'disabled']].filter((f): f is string[] => Array.isArray(f));
    const age = r.age === null ? ['', ''] : [` ${r.age}岁`, `, ${r.age}`];
    zh.push([`${r.name}${age[0]}`, ...flags.map((f) => f[0]), ...(r.careNotes ? [r.careNotes] : []), ...r.contacts.map((c) => `紧急联系人 ${c.name}（${c.relation}）${c.phone}`)].join(' · '));
    en.push([`${r.name}${age[1]}`, ...flags.map((f) => f[1]), ...(r.careNotes ? [r.careNotes] : []), ...r.contacts.map((c) => `contact ${c.name} (${c.relation}) ${c.phone}`)].join(' · '));
  }
  return { zh: zh.join('；'), en: en.join('; ') };
}

/** Community, building, unit, floor and room, as far as the alert knows them. */
export function placeOf(alert: Alert): Bilingual {
  const location = alert.location;
  const zh = [`社区 ${alert.communityId}`];
  const en = [`community ${alert.communityId}`];
  const building = location?.buildingId ?? alert.buildingId;
  if (building) {
    zh.push(`楼栋 ${building}`);
    en.push(`building ${building}`);
  }
  if (location?.unit) {
    zh.push(`${location.unit}单元`);
    en.push(`unit ${location.unit}`);
  }
  if (location?.floor !== undefined) {
    zh.push(location.floor < 0 ? `地下${-location.floor}层` : `${location.floor}层`);
    en.push(location.floor < 0 ? `basement ${-location.floor}` : `floor ${location.floor}`);
  }
  if (location?.room) {
    zh.push(`${location.room}室`);
    en.push(`room ${location.room}`);
  }
  return { zh: zh.join(' · '), en: en.join(', ') };
}

function stageOf(payload: WebhookDelivery): Bilingual {
  const event = EVENT_NAME[payload.event];
  if (payload.event === 'alert.updated') {
    const status = STATUS_NAME[payload.alert.status];
    return { zh: `${event.zh}：${status.zh}`, en: `${event.en}: ${status.en}` };
  }
  if (payload.event !== 'alert.escalated') return event;
  const position = payload.recipient.position;
  if (position) return { zh: `${event.zh}至${POSITION_NAME[position].zh}`, en: `${event.en} to ${POSITION_NAME[position].en}` };
  return { zh: `第${payload.stage}级${event.zh}`, en: `${event.en} (stage ${payload.stage})` };
}

/** An ISO instant as local (Beijing) date and time, `YYYY-MM-DD HH:MM:SS`. */
export function shanghaiTime(iso: string): string {
  return localDateTime(Date.parse(iso));
}
