/**
 * Vendor dialects map a vendor's topics and payloads onto the canonical model. A dialect is one
 * definition file: it says which publishes it understands, turns each into canonical envelopes (which
 * then pass the same validate → normalise → deduplicate steps as canonical payloads), how it answers,
 * and how a command reaches its devices. Examples travel with each dialect and a test round-trips them.
 */
import type { Rejection } from '../ingest/message.ts';

export type DialectName = 'anju' | 'alink' | 'thingsboard';

/** A canonical payload, before validation: what the device would have sent on the canonical topic. */
export interface CanonicalEnvelope {
  channel: 'telemetry' | 'events';
  json: unknown;
}

/** Who the session is, as far as a dialect cares. */
export interface DialectSession {
  deviceId: string;
  kind: string;
  communityId: string;
  fieldMap: string | null;
  alink?: { productKey: string; deviceName: string };
}

export type DialectRoute =
  /** Data to ingest; when the dialect answers each request, `reply` says where and to which request id. */
  | { type: 'ingest'; envelopes: CanonicalEnvelope[]; reply?: { topic: string; requestId: string } }
  /** The device's answer to a command. */
  | { type: 'command_reply'; commandId: string; ok: boolean; result?: unknown; message?: string }
  /** Understood but not stored (e.g. ThingsBoard attributes): kept as a dead letter with the reason. */
  | { type: 'ignored'; reason: string }
  /** The dialect's own envelope is malformed. */
  | { type: 'invalid'; rejection: Rejection; reply?: { topic: string; requestId: string } };

export interface DialectReply {
  topic: string;
  payload: Buffer;
}

export interface DialectCommand {
  topic: string;
  payload: Buffer;
}

export interface DialectExample {
  name: string;
  session: DialectSession;
  topic: string;
  payload: string;
  /** The canonical envelopes it must produce, or the route type when it produces none. */
  expect: CanonicalEnvelope[] | { type: DialectRoute['type']; code?: string };
}

export interface Dialect {
  readonly name: DialectName;
  /** Whether the topic is one this dialect's devices may publish on (checked before the payload is read). */
  owns(session: DialectSession, topic: string): boolean;
  /** The route for a publish (already parsed as JSON) of this session on `topic`; undefined when this dialect does not own the topic. */
  route(session: DialectSession, topic: string, json: unknown): DialectRoute | undefined;
  /** Whether the session may subscribe to `topic` (only topics this dialect owns). */
  canSubscribe(session: DialectSession, topic: string): boolean;
  /** The answer to a request: accepted, or the rejection's code and message. */
  reply?(requestId: string, outcome: { ok: true } | { ok: false; code: string; message: string }): Buffer;
  /** How a command reaches a device of this dialect; undefined when the dialect has no command channel. */
  command?(session: DialectSession, command: { id: string; command: string; args: Record<string, unknown> }): DialectCommand | undefined;
  readonly examples: readonly DialectExample[];
}
