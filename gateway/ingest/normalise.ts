import type { ValidPayload } from './validate.ts';
import type { NormalisedMessage, Rejection } from './message.ts';

/** A device clock may run a little fast; beyond this a timestamp is refused rather than stored in the future. */
export const MAX_FUTURE_SKEW_MS = 5 * 60_000;
/** Readings older than this are refused (a device whose clock never got set reports 1970). */
export const MAX_AGE_MS = 30 * 24 * 3600_000;

function toEpochMs(ts: number | string | undefined, receivedAt: number): number | undefined {
  if (ts === undefined) return receivedAt;
  const ms = typeof ts === 'number' ? ts : Date.parse(ts);
  if (!Number.isFinite(ms)) return undefined;
  if (ms > receivedAt + MAX_FUTURE_SKEW_MS || ms < receivedAt - MAX_AGE_MS) return undefined;
  return ms;
}

export function normalise(deviceId: string, valid: ValidPayload, receivedAt: number): { message: NormalisedMessage } | { rejection: Rejection } {
  const ts = toEpochMs(valid.payload.ts, receivedAt);
  if (ts === undefined) {
    return {
      rejection: {
        code: 'invalid_timestamp',
        details: { ts: valid.payload.ts, accepted: { notBefore: new Date(receivedAt - MAX_AGE_MS).toISOString(), notAfter: new Date(receivedAt + MAX_FUTURE_SKEW_MS).toISOString() } },
      },
    };
  }
  if (valid.channel === 'telemetry') {
    const values: Record<string, number> = {};
    const given = valid.payload.values;
    for (const field in given) {
      if (!Object.hasOwn(given, field)) continue;
      const value = given[field]!;
      values[field] = typeof value === 'boolean' ? Number(value) : value;
    }
    return { message: { type: 'telemetry', deviceId, ts, seq: valid.payload.seq, values, receivedAt } };
  }
  const { event, data, seq } = valid.payload;
  return { message: { type: 'event', deviceId, ts, seq, event, data, receivedAt } };
}
