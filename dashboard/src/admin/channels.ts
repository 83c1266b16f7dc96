/** Notification channels as a form edits them: one draft shape for the four kinds, and back. */
import type { Channel } from '../../../contract/index.ts';

export const CHANNEL_TYPES = ['webhook', 'wecom', 'dingtalk', 'sms'] as const satisfies readonly Channel['type'][];
export type ChannelType = (typeof CHANNEL_TYPES)[number];

export interface ChannelDraft {
  type: ChannelType;
  url: string;
  secret: string;
  phone: string;
}

export function emptyDraft(type: ChannelType = 'sms'): ChannelDraft {
  return { type, url: '', secret: '', phone: '' };
}

export function toDraft(channel: Channel): ChannelDraft {
  switch (channel.type) {
    case 'webhook':
      return { type: 'webhook', url: channel.url, secret: channel.secret, phone: '' };
    case 'wecom':
      return { type: 'wecom', url: channel.url, secret: '', phone: '' };
    case 'dingtalk':
      return { type: 'dingtalk', url: channel.url, secret: channel.secret ?? '', phone: '' };
    case 'sms':
      return { type: 'sms', url: '', secret: '', phone: channel.phone };
  }
}

/** The channel a draft describes; fields the kind does not have are left out. The API checks the rest. */
export function fromDraft(draft: ChannelDraft): Channel {
  const url = draft.url.trim();
  switch (draft.type) {
    case 'webhook':
      return { type: 'webhook', url, secret: draft.secret };
    case 'wecom':
      return { type: 'wecom', url };
    case 'dingtalk':
      return draft.secret.trim() ? { type: 'dingtalk', url, secret: draft.secret.trim() } : { type: 'dingtalk', url };
    case 'sms':
      return { type: 'sms', phone: draft.phone.trim() };
  }
}

/** Which fields a kind of channel has. */
export function channelFields(type: ChannelType): ('url' | 'secret' | 'phone')[] {
  switch (type) {
    case 'webhook':
    case 'dingtalk':
      return ['url', 'secret'];
    case 'wecom':
      return ['url'];
    case 'sms':
      return ['phone'];
  }
}
