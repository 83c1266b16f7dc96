/** What every channel's sender does: deliver one notification once, and say how it went. */
import type { Channel, NotificationPayload } from '../../../contract/index.ts';

export interface Delivery {
  /** The notification id: the same on every retry, so receivers can drop repeats. */
  id: string;
  payload: NotificationPayload;
  /** Injected-clock time of this attempt (DingTalk signs it). */
  now: number;
  timeoutMs: number;
}

export interface SendOutcome {
  ok: boolean;
  statusCode: number | null;
  error: string | null;
  /** What the receiver answered, kept on success. */
  receipt?: unknown;
  /** A failure that retrying cannot fix (e.g. no SMS gateway configured). */
  final?: boolean;
}

export interface Sender<C extends Channel = Channel> {
  send(channel: C, delivery: Delivery): Promise<SendOutcome>;
}

export type SenderRegistry = { [T in Channel['type']]: Sender<Extract<Channel, { type: T }>> };

export function senderFor(registry: SenderRegistry, channel: Channel): Sender {
  // Each entry takes its own channel type; the registry's keys guarantee the match.
  return registry[channel.type] as Sender;
}
