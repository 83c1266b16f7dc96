/** What the gateway tells the platform, shared by the embedded broker and the upstream (EMQX) consumer. */
import type { Logger } from '../platform/logger.ts';
import type { DeviceInfo } from './device-info.ts';
import type { NormalisedMessage, Rejection } from './ingest/message.ts';
import type { IngestStep } from './ingest/pipeline.ts';

export type RefusalReason =
  | 'bad_credentials'
  | 'no_credentials'
  | 'auth_unavailable'
  | 'login_throttled'
  | 'rate_limited'
  | 'connection_cap'
  | 'will_not_allowed'
  | 'topic_not_allowed'
  | 'sys_topic'
  | 'topic_too_long'
  | 'subscription_not_allowed'
  | 'packet_too_large'
  | 'slow_consumer';

export interface RefusalEvent {
  reason: RefusalReason;
  deviceId: string | undefined;
  address: string | undefined;
  detail?: string;
  at: number;
}

export interface RejectedMessage {
  device: DeviceInfo;
  topic: string;
  payload: Buffer;
  step: IngestStep | 'status' | 'route';
  rejection: Rejection;
  receivedAt: number;
}

export interface CommandReply {
  deviceId: string;
  commandId: string;
  ok: boolean;
  result?: unknown;
  message?: string;
  at: number;
}

/** What the gateway tells the platform. Every call is guarded: a throwing listener is logged, never fatal. */
export interface GatewayListener {
  accepted(message: NormalisedMessage, device: DeviceInfo): void;
  /** Entries were committed to the journal: the consumer may read them. */
  journaled(): void;
  rejected(rejected: RejectedMessage): void;
  duplicate(message: NormalisedMessage, device: DeviceInfo): void;
  presence(deviceId: string, online: boolean, at: number): void;
  refused(refusal: RefusalEvent): void;
  commandReply(reply: CommandReply): void;
}


/** Wraps every call so that a throwing listener is logged, never fatal. */
export function guardListener(l: GatewayListener, logger: Logger): GatewayListener {
  const guard = <A extends unknown[]>(name: string, fn: (...args: A) => void) => (...args: A) => {
    try {
      fn(...args);
    } catch (error) {
      logger.error({ err: error, listener: name }, 'gateway listener failed');
    }
  };
  return {
    accepted: guard('accepted', l.accepted.bind(l)),
    journaled: guard('journaled', l.journaled.bind(l)),
    rejected: guard('rejected', l.rejected.bind(l)),
    duplicate: guard('duplicate', l.duplicate.bind(l)),
    presence: guard('presence', l.presence.bind(l)),
    refused: guard('refused', l.refused.bind(l)),
    commandReply: guard('commandReply', l.commandReply.bind(l)),
  };
}
