/** SMS through an HTTP gateway: `{"phone","template","text","params"}`, text rendered from a per-event template. */
import { isRequestDelivery, type Channel, type NotificationPayload, type NotifyEvent, type RequestDelivery, type WebhookDelivery } from '../../../contract/index.ts';
import { messageFacts } from '../facts.ts';
import { requestFacts } from '../request-facts.ts';
import { httpError, isSuccess, postJson, receiptOf, transportError } from './http.ts';
import type { Sender } from './sender.ts';

export type SmsChannel = Extract<Channel, { type: 'sms' }>;

export interface SmsGatewayConfig {
  url: string;
  token?: string;
  /** Per-event templates; `{name}` is replaced by the value of that name (see smsValues). */
  templates?: Partial<Record<NotifyEvent, string>>;
}

// Chinese only: an SMS is paid per 70 characters, and its readers read Chinese.
export const DEFAULT_SMS_TEMPLATES: Record<NotifyEvent, string> = {
  'alert.raised': '【安居】{levelName}预警：{title}，{place}，{time}。请立即处置。',
  'alert.reminder': '【安居】提醒：{levelName}预警“{title}”（{place}）尚未确认，请立即处置。',
  'alert.escalated': '【安居】{levelName}预警已升级：{title}，{place}，{time}。请立即处置。',
  'alert.updated': '【安居】{levelName}预警{status}：{title}，{place}。',
  'request.assigned': '【安居】新诉求{reference}（{category}）：{description}，{place}，联系人{contactName} {contactPhone}，请于{deadline}前响应。',
  'request.reminder': '【安居】提醒：诉求{reference}（{category}，{place}）尚未响应，请于{deadline}前响应。',
  'request.escalated': '【安居】诉求{reference}（{category}，{place}）已超过响应时限{deadline}，请督办。',
  'request.updated': '【安居】诉求{reference}（{category}）{status}。',
};

export function smsValues(payload: NotificationPayload): Record<string, string> {
  if (isRequestDelivery(payload)) return requestSmsValues(payload);
  return alertSmsValues(payload);
}

/**
 * An SMS goes to one worker's own phone: it carries the resident's phone as the payload has it, which is
 * unmasked only for a worker of the request's grid.
 */
function requestSmsValues(payload: RequestDelivery): Record<string, string> {
  const f = requestFacts(payload, { maskPhone: false });
  return {
    reference: f.reference,
    category: f.category.zh,
    description: f.description.length > 40 ? `${f.description.slice(0, 39)}…` : f.description,
    place: f.place.zh,
    contactName: f.contactName,
    contactPhone: f.contactPhone,
    received: f.received,
    deadline: f.deadline,
    stage: f.stage.zh,
    status: f.status.zh,
    action: f.action.zh,
  };
}

function alertSmsValues(payload: WebhookDelivery): Record<string, string> {
  const f = messageFacts(payload);
  return {
    levelName: f.levelName.zh,
    numeral: f.numeral,
    title: f.title.zh,
    place: f.place.zh,
    device: f.device.zh,
    deviceId: f.deviceId,
    time: f.time,
    stage: f.stage.zh,
    status: f.status.zh,
    action: f.action.zh,
    alertId: f.alertId,
    care: f.care?.zh ?? '',
  };
}

/** Fills `{name}` placeholders; `params` holds the values the template used. Unknown names stay as written. */
export function renderTemplate(template: string, values: Record<string, string>): { text: string; params: Record<string, string> } {
  const params: Record<string, string> = {};
  const text = template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = values[name];
    if (value === undefined) return whole;
    params[name] = value;
    return value;
  });
  return { text, params };
}

export function smsRequest(gateway: SmsGatewayConfig, channel: SmsChannel, payload: NotificationPayload) {
  const template = gateway.templates?.[payload.event] ?? DEFAULT_SMS_TEMPLATES[payload.event];
  const { text, params } = renderTemplate(template, smsValues(payload));
  return {
    url: gateway.url,
    body: JSON.stringify({ phone: channel.phone, template, text, params }),
    headers: gateway.token ? { authorization: `Bearer ${gateway.token}` } : ({} as Record<string, string>),
  };
}

export function smsSender(gateway: SmsGatewayConfig | undefined): Sender<SmsChannel> {
  return {
    async send(channel, delivery) {
      if (!gateway) return { ok: false, statusCode: null, error: 'no SMS gateway is configured (OutboxOptions.sms)', final: true };
      const request = smsRequest(gateway, channel, delivery.payload);
      try {
        const answer = await postJson(request.url, request.body, request.headers, delivery.timeoutMs);
        if (!isSuccess(answer.status)) return httpError(answer);
        return { ok: true, statusCode: answer.status, error: null, receipt: receiptOf(answer) };
      } catch (error) {
        return transportError(error, delivery.timeoutMs);
      }
    },
  };
}
