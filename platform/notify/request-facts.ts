/**
 * The facts a resident request's notification is rendered from (WeCom, DingTalk, SMS), taken from its
 * webhook payload alone. Group robots always get the phone masked, whatever the payload carries.
 */
import { REQUEST_CATEGORY_LABELS, type RequestDelivery } from '../../contract/index.ts';
import { maskPhone } from '../privacy/mask.ts';
import { shanghaiTime } from './facts.ts';
import { EVENT_NAME, POSITION_NAME, REQUEST_STATUS_NAME, type Bilingual } from './labels.ts';
import type { FactRow } from './markdown.ts';

export interface RequestFacts {
  reference: string;
  category: Bilingual;
  /** e.g. 新诉求 AJ-20261129-0007 · 维修 */
  headline: Bilingual;
  /** The description, cut to 120 characters. */
  description: string;
  place: Bilingual;
  contactName: string;
  contactPhone: string;
  /** Beijing time, `YYYY-MM-DD HH:mm:ss`. */
  received: string;
  deadline: string;
  stage: Bilingual;
  status: Bilingual;
  action: Bilingual;
  requestId: string;
}

const cut = (text: string, n: number) => (text.length > n ? `${text.slice(0, n - 1)}…` : text);

export function requestFacts(payload: RequestDelivery, options: { maskPhone: boolean }): RequestFacts {
  const { request } = payload;
  const category = REQUEST_CATEGORY_LABELS[request.category];
  const event = EVENT_NAME[payload.event];
  return {
    reference: request.reference,
    category: { zh: category['zh-CN'], en: category.en },
    headline: { zh: `${event.zh} ${request.reference} · ${category['zh-CN']}`, en: `${event.en} ${request.reference} · ${category.en}` },
    description: cut(request.description.replace(/\s+/g, ' '), 120),
    place: requestPlace(request.place),
    contactName: request.contact.name,
    contactPhone: options.maskPhone ? maskPhone(request.contact.phone)! : request.contact.phone,
    received: shanghaiTime(request.receivedAt),
    deadline: shanghaiTime(request.deadline),
    stage: stageOf(payload),
    status: REQUEST_STATUS_NAME[request.status],
    action: actionOf(payload),
    requestId: request.id,
  };
}

export function requestPlace(place: RequestDelivery['request']['place']): Bilingual {
  const zh = [`社区 ${place.communityId}`];
  const en = [`community ${place.communityId}`];
  if (place.buildingId) {
    zh.push(`楼栋 ${place.buildingId}`);
    en.push(`building ${place.buildingId}`);
  }
  if (place.unit) {
    zh.push(`${place.unit}单元`);
    en.push(`unit ${place.unit}`);
  }
  if (place.room) {
    zh.push(`${place.room}室`);
    en.push(`room ${place.room}`);
  }
  if (place.address) {
    zh.push(place.address);
    en.push(place.address);
  }
  return { zh: zh.join(' · '), en: en.join(', ') };
}

function stageOf(payload: RequestDelivery): Bilingual {
  const event = EVENT_NAME[payload.event];
  if (payload.event === 'request.updated') {
    const status = REQUEST_STATUS_NAME[payload.request.status];
    return { zh: `${event.zh}：${status.zh}`, en: `${event.en}: ${status.en}` };
  }
  const position = payload.recipient.position;
  if (payload.event === 'request.escalated' && position) return { zh: `${event.zh}至${POSITION_NAME[position].zh}`, en: `${event.en} to ${POSITION_NAME[position].en}` };
  return event;
}

function actionOf(payload: RequestDelivery): Bilingual {
  switch (payload.event) {
    case 'request.assigned':
    case 'request.reminder':
      return { zh: '请在时限前联系居民并首次响应', en: 'Contact the resident and respond before the deadline' };
    case 'request.escalated':
      return { zh: '已超过首次响应时限，请督办', en: 'Past the first-response deadline; see that it is handled' };
    case 'request.updated':
      return payload.request.status === 'closed' ? { zh: '已办结，无需操作', en: 'Closed; nothing to do' } : { zh: '已有人响应，请跟进', en: 'Someone responded; follow up' };
  }
}

export function requestFactRows(f: RequestFacts): FactRow[] {
  return [
    { label: '诉求 Request', value: f.description },
    { label: '地点 Place', value: `${f.place.zh} / ${f.place.en}` },
    { label: '联系人 Contact', value: `${f.contactName} ${f.contactPhone}` },
    { label: '受理 Received', value: `${f.received}（北京时间 UTC+8）` },
    { label: '时限 Due', value: `${f.deadline}（北京时间 UTC+8）` },
    { label: '阶段 Stage', value: `${f.stage.zh} ${f.stage.en}` },
    { label: '处置 Action', value: `${f.action.zh} / ${f.action.en}` },
  ];
}

export function requestFooter(f: RequestFacts): string {
  return `安居 Anju · 诉求编号 Reference：${f.reference}`;
}
