/** WeCom (企业微信) group robot: a markdown message; delivered only when it answers errcode 0. */
import { isRequestDelivery, type Channel, type NotificationPayload, type RequestDelivery } from '../../../contract/index.ts';
import { messageFacts } from '../facts.ts';
import { factRows, footer } from '../markdown.ts';
import { requestFactRows, requestFacts, requestFooter } from '../request-facts.ts';
import { postJson, transportError } from './http.ts';
import { robotOutcome } from './robot-answer.ts';
import type { Sender } from './sender.ts';

export type WecomChannel = Extract<Channel, { type: 'wecom' }>;

export function wecomMessage(payload: NotificationPayload) {
  if (isRequestDelivery(payload)) return wecomRequestMessage(payload);
  const f = messageFacts(payload);
  const colour = f.level === 'red' || f.level === 'orange' ? 'warning' : 'info';
  const content = [
    `### <font color="${colour}">${f.headline.zh}</font>：${f.title.zh}`,
    `${f.headline.en}: ${f.title.en}`,
    ...factRows(f).map((row) => `> **${row.label}**：${row.value}`),
    `<font color="comment">${footer(f)}</font>`,
  ].join('\n');
  return { msgtype: 'markdown' as const, markdown: { content } };
}

/** A group robot: the resident's phone is masked. */
function wecomRequestMessage(payload: RequestDelivery) {
  const f = requestFacts(payload, { maskPhone: true });
  const colour = payload.event === 'request.escalated' ? 'warning' : 'info';
  const content = [
    `### <font color="${colour}">${f.headline.zh}</font>`,
    f.headline.en,
    ...requestFactRows(f).map((row) => `> **${row.label}**：${row.value}`),
    `<font color="comment">${requestFooter(f)}</font>`,
  ].join('\n');
  return { msgtype: 'markdown' as const, markdown: { content } };
}

export const wecomSender: Sender<WecomChannel> = {
  async send(channel, delivery) {
    try {
      return robotOutcome(await postJson(channel.url, JSON.stringify(wecomMessage(delivery.payload)), {}, delivery.timeoutMs));
    } catch (error) {
      return transportError(error, delivery.timeoutMs);
    }
  },
};
