/** The facts every notification format is rendered from, taken from the webhook payload alone. */
import { findDeviceKind, LEVEL_NUMERAL, type Alert, type WarningLevel, type WebhookDelivery } from '../../contract/index.ts';
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
  };
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

/** China has kept UTC+8 all year since 1991, so no time-zone database is needed. */
export function shanghaiTime(iso: string): string {
  return new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
}
