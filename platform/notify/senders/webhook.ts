/** Signed webhook: the contract's JSON body, `X-Anju-Signature: sha256=<hex HMAC>`, `X-Anju-Delivery: <id>`. */
import { createHmac } from 'node:crypto';
import type { Channel, NotificationPayload } from '../../../contract/index.ts';
import { httpError, isSuccess, postJson, receiptOf, transportError } from './http.ts';
import type { Sender } from './sender.ts';

export type WebhookChannel = Extract<Channel, { type: 'webhook' }>;

export function webhookSignature(rawBody: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
}

export function webhookRequest(channel: WebhookChannel, id: string, payload: NotificationPayload) {
  const body = JSON.stringify(payload);
  return {
    url: channel.url,
    body,
    headers: { 'x-anju-signature': webhookSignature(body, channel.secret), 'x-anju-delivery': id, 'x-anju-event': payload.event },
  };
}

export const webhookSender: Sender<WebhookChannel> = {
  async send(channel, delivery) {
    const request = webhookRequest(channel, delivery.id, delivery.payload);
    try {
      const answer = await postJson(request.url, request.body, request.headers, delivery.timeoutMs);
      if (!isSuccess(answer.status)) return httpError(answer);
      return { ok: true, statusCode: answer.status, error: null, receipt: receiptOf(answer) };
    } catch (error) {
      return transportError(error, delivery.timeoutMs);
    }
  },
};
