/** The registry of channel senders. Adding a channel type: one file in this folder and one line here. */
import { dingtalkSender } from './dingtalk.ts';
import type { SenderRegistry } from './sender.ts';
import { smsSender, type SmsGatewayConfig } from './sms.ts';
import { webhookSender } from './webhook.ts';
import { wecomSender } from './wecom.ts';

export function createSenders(options: { sms?: SmsGatewayConfig | undefined }): SenderRegistry {
  return {
    webhook: webhookSender,
    wecom: wecomSender,
    dingtalk: dingtalkSender,
    sms: smsSender(options.sms),
  };
}

export { senderFor, type Delivery, type SendOutcome, type Sender, type SenderRegistry } from './sender.ts';
export type { SmsGatewayConfig } from './sms.ts';
