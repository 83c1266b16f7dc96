import type { ErrorCode } from '../../contract/index.ts';
import type { DeviceInfo } from '../device-info.ts';

export type IngestChannel = 'telemetry' | 'events';

/** A payload as it arrives, before any step has looked at it. */
export interface InboundMessage {
  device: DeviceInfo;
  channel: IngestChannel;
  topic: string;
  payload: Buffer;
  /** Epoch ms when the broker received it. */
  receivedAt: number;
}

export interface NormalisedTelemetry {
  type: 'telemetry';
  deviceId: string;
  ts: number;
  seq: number | undefined;
  /** Booleans become 1 / 0. */
  values: Record<string, number>;
  receivedAt: number;
}

export interface NormalisedEvent {
  type: 'event';
  deviceId: string;
  ts: number;
  seq: number | undefined;
  event: string;
  data: Record<string, unknown> | undefined;
  receivedAt: number;
}

export type NormalisedMessage = NormalisedTelemetry | NormalisedEvent;

export interface Rejection {
  code: ErrorCode;
  details?: unknown;
}
