import type { Rejection } from './message.ts';

/** Largest payload accepted on a device topic; larger ones are rejected before parsing. */
export const MAX_PAYLOAD_BYTES = 16 * 1024;

export function parse(payload: Buffer): { json: unknown } | { rejection: Rejection } {
  if (payload.length > MAX_PAYLOAD_BYTES) {
    return { rejection: { code: 'payload_too_large', details: { bytes: payload.length, limit: MAX_PAYLOAD_BYTES } } };
  }
  try {
    return { json: JSON.parse(payload.toString('utf8')) };
  } catch (error) {
    return { rejection: { code: 'invalid_json', details: { reason: (error as Error).message } } };
  }
}
