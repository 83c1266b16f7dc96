/**
 * The ingest path as named steps: parse → (dialect: vendor envelope → canonical) → validate →
 * normalise → deduplicate, then the journal, then the platform's store → evaluate. The steps run
 * synchronously per message and allocate little.
 */
import type { DeviceInfo } from '../device-info.ts';
import type { CanonicalEnvelope } from '../dialects/types.ts';
import type { SeqDeduplicator } from './dedupe.ts';
import type { InboundMessage, NormalisedMessage, Rejection } from './message.ts';
import { normalise } from './normalise.ts';
import { parse } from './parse.ts';
import { validate } from './validate.ts';

export type IngestStep = 'parse' | 'dialect' | 'validate' | 'normalise' | 'deduplicate';

export type IngestOutcome =
  | { status: 'accepted'; message: NormalisedMessage }
  | { status: 'rejected'; step: IngestStep; rejection: Rejection }
  | { status: 'duplicate'; message: NormalisedMessage };

/** validate → normalise → deduplicate, for one canonical envelope. */
export function runEnvelopeSteps(device: DeviceInfo, envelope: CanonicalEnvelope, receivedAt: number, dedupe: SeqDeduplicator): IngestOutcome {
  const validated = validate(envelope.json, envelope.channel, device.definition);
  if ('rejection' in validated) return { status: 'rejected', step: 'validate', rejection: validated.rejection };
  const normalised = normalise(device.id, validated.valid, receivedAt);
  if ('rejection' in normalised) return { status: 'rejected', step: 'normalise', rejection: normalised.rejection };
  const { message } = normalised;
  if (dedupe.isDuplicate(message.deviceId, message.seq, receivedAt)) return { status: 'duplicate', message };
  return { status: 'accepted', message };
}

/** The canonical topic's whole path: parse, then the envelope steps. */
export function runIngestSteps(inbound: InboundMessage, dedupe: SeqDeduplicator): IngestOutcome {
  const parsed = parse(inbound.payload);
  if ('rejection' in parsed) return { status: 'rejected', step: 'parse', rejection: parsed.rejection };
  return runEnvelopeSteps(inbound.device, { channel: inbound.channel, json: parsed.json }, inbound.receivedAt, dedupe);
}
