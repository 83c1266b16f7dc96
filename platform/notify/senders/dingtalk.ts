/** DingTalk (钉钉) group robot: a markdown message, signed when the robot has a secret; errcode 0 is delivered. */
import { createHmac } from 'node:crypto';
import { isRequestDelivery, type Channel, type NotificationPayload, type RequestDelivery } from '../../../contract/index.ts';
import { messageFacts } from '../facts.ts';
import { factRows, footer } from '../markdown.ts';
import { requestFactRows, requestFacts, requestFooter } from '../request-facts.ts';
import { postJson, transportError } from './http.ts';
import { robotOutcome } from './robot-answer.ts';
import type { Sender } from './sender.ts';

export type DingtalkChannel = Extract<Channel, { type: 'dingtalk' }>;

/** DingTalk's "加签" rule: base64 HMAC-SHA256 of `timestamp + "\n" + secret`, keyed with the secret. */
export function dingtalkSign(timestamp: number, secret: string): string {
  return createHmac('sha256', secret).update(`${timestamp}\n${secret}`).digest('base64');
}

export function dingtalkUrl(channel: DingtalkChannel, now: number): string {
  if (!channel.secret) return channel.url;
  const separator = channel.url.includes('?') ? '&' : '?';
  return `${channel.url}${separator}timestamp=${now}&sign=${encodeURIComponent(dingtalkSign(now, channel.secret))}`;
}

export function dingtalkMessage(payload: NotificationPayload) {
  if (isRequestDelivery(payload)) return dingtalkRequestMessage(payload);
  const f = messageFacts(payload);
  const title = `${f.headline.zh}：${f.title.zh}`;
  // DingTalk markdown breaks lines only at blank lines.
  const text = [`#### ${title}`, `${f.headline.en}: ${f.title.en}`, ...factRows(f).map((row) => `- **${row.label}**：${row.value}`), footer(f)].join('\n\n');
  return { msgtype: 'markdown' as const, markdown: { title, text } };
}

/** A group robot: the resident's phone is masked. */
function dingtalkRequestMessage(payload: RequestDelivery) {
  const f = requestFacts(payload, { maskPhone: true });
  const title = f.headline.zh;
  const text = [`#### ${title}`, f.headline.en, ...requestFactRows(f).map((row) => `- **${row.label}**：${row.value}`), requestFooter(f)].join('\n\n');
  return { msgtype: 'markdown' as const, markdown: { title, text } };
}

export const dingtalkSender: Sender<DingtalkChannel> = {
  async send(channel, delivery) {
    try {
      const answer = await postJson(dingtalkUrl(channel, delivery.now), JSON.stringify(dingtalkMessage(delivery.payload)), {}, delivery.timeoutMs);
      return robotOutcome(answer);
    } catch (error) {
      return transportError(error, delivery.timeoutMs);
    }
  },
};
