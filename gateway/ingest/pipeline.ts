/**
 * The ingest path as named steps: parse → validate → normalise → deduplicate, then the platform's
 * store → evaluate. The first four run synchronously per message and allocate little; the last two
 * are batched by the platform.
 */
import type { InboundMessage, NormalisedMessage, Rejection } from './message.ts';
import { parse } from './parse.ts';
import { validate } from './validate.ts';
import { normalise } from './normalise.ts';
import type { SeqDeduplicator } from './dedupe.ts';

export type IngestStep = 'parse' | 'validate' | 'normalise' | 'deduplicate';

export type IngestOutcome =
  | { status: 'accepted'; message: NormalisedMessage }
  | { status: 'rejected'; step: IngestStep; rejection: Rejection }
  | { status: 'duplicate'; message: NormalisedMessage };

export function runIngestSteps(inbound: InboundMessage, dedupe: SeqDeduplicator): IngestOutcome {
  const parsed = parse(inbound.payload);
  if ('rejection' in parsed) return { status: 'rejected', step: 'parse', rejection: parsed.rejection };
  const validated = validate(parsed.json, inbound.channel, inbound.device.definition);
  if ('rejection' in validated) return { status: 'rejected', step: 'validate', rejection: validated.rejection };
  const normalised = normalise(inbound.device.id, validated.valid, inbound.receivedAt);
  if ('rejection' in normalised) return { status: 'rejected', step: 'normalise', rejection: normalised.rejection };
  const { message } = normalised;
  if (dedupe.isDuplicate(message.deviceId, message.seq, inbound.receivedAt)) return { status: 'duplicate', message };
  return { status: 'accepted', message };
}
