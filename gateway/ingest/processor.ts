/**
 * One publish through the ingest path, wherever it came from (the embedded broker's hook, or the
 * upstream consumer): parse → dialect → validate → normalise → deduplicate → journal, with the answer
 * the device expects (a dialect reply or the canonical errors topic) and a dead letter for rejections.
 */
import { deviceTopic, ERROR_CATALOGUE, type DeviceErrorPayload } from '../../contract/index.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Logger } from '../../platform/logger.ts';
import type { Dialect } from '../dialects/types.ts';
import type { IngestJournal } from '../journal/ingest-journal.ts';
import type { GatewayListener, RejectedMessage } from '../listener.ts';
import type { Session } from '../session.ts';
import { SeqDeduplicator } from './dedupe.ts';
import type { Rejection } from './message.ts';
import { parse } from './parse.ts';
import { runEnvelopeSteps, type IngestStep } from './pipeline.ts';

export interface IngestProcessorDeps {
  journal: IngestJournal;
  listener: GatewayListener;
  logger: Logger;
  clock: Clock;
  /** Sends an answer to the device (QoS 0). */
  send: (topic: string, payload: Buffer, deviceId: string) => void;
}

/** How long a (device, seq) is remembered; the journal keeps at least this much after a restart. */
export const DEDUPE_WINDOW_MS = 10 * 60_000;

export class IngestProcessor {
  private readonly dedupe = new SeqDeduplicator(DEDUPE_WINDOW_MS);
  /** The commit the listener was last told about. */
  private lastCommitted: Promise<unknown> | undefined;

  constructor(private readonly deps: IngestProcessorDeps) {
    // A restart must still recognise redeliveries of what it journaled before: seed from the journal.
    for (const entry of deps.journal.recent(deps.clock.now() - DEDUPE_WINDOW_MS)) this.dedupe.isDuplicate(entry.message.deviceId, entry.message.seq, entry.message.receivedAt);
  }

  /** Answers a rejected payload (dialect reply, else the canonical errors topic) and keeps it as a dead letter. */
  reject(session: Session, d: Dialect, topic: string, payload: Buffer, step: RejectedMessage['step'], rejection: Rejection, receivedAt: number, reply?: { topic: string; requestId: string }): void {
    const message = ERROR_CATALOGUE[rejection.code].message;
    if (reply && d.reply) this.deps.send(reply.topic, d.reply(reply.requestId, { ok: false, code: rejection.code, message }), session.device.id);
    else {
      const body: DeviceErrorPayload = { topic, error: rejection.code, message, details: rejection.details };
      this.deps.send(deviceTopic(session.device.id, 'errors'), Buffer.from(JSON.stringify(body)), session.device.id);
    }
    this.deps.listener.rejected({ device: session.device, topic, payload, step, rejection, receivedAt });
  }

  /** Runs the steps; resolves once what must be durable is in the journal (undefined when nothing is). */
  process(session: Session, d: Dialect, topic: string, payload: Buffer, receivedAt: number): Promise<unknown> | undefined {
    const { listener, journal, logger, send } = this.deps;
    const parsed = parse(payload);
    if ('rejection' in parsed) {
      this.reject(session, d, topic, payload, 'parse', parsed.rejection, receivedAt);
      return undefined;
    }
    const route = d.route(session.dialect, topic, parsed.json);
    if (!route) return undefined;
    switch (route.type) {
      case 'command_reply':
        listener.commandReply({ deviceId: session.device.id, commandId: route.commandId, ok: route.ok, result: route.result, message: route.message, at: receivedAt });
        return undefined;
      case 'ignored':
        listener.rejected({ device: session.device, topic, payload, step: 'route', rejection: { code: 'ignored', details: { reason: route.reason } }, receivedAt });
        return undefined;
      case 'invalid':
        this.reject(session, d, topic, payload, 'route', route.rejection, receivedAt, route.reply);
        return undefined;
      case 'ingest': {
        const commits: Promise<unknown>[] = [];
        let firstRejection: { step: IngestStep; rejection: Rejection } | undefined;
        for (const envelope of route.envelopes) {
          const outcome = runEnvelopeSteps(session.device, envelope, receivedAt, this.dedupe);
          if (outcome.status === 'accepted') {
            commits.push(journal.append(outcome.message, session.device.kind).committed);
            listener.accepted(outcome.message, session.device);
          } else if (outcome.status === 'duplicate') listener.duplicate(outcome.message, session.device);
          else firstRejection ??= outcome;
        }
        if (firstRejection) this.reject(session, d, topic, payload, firstRejection.step, firstRejection.rejection, receivedAt, route.reply);
        else if (route.reply && d.reply) send(route.reply.topic, d.reply(route.reply.requestId, { ok: true }), session.device.id);
        if (!commits.length) return undefined;
        // One envelope (the common case) needs no Promise.all; entries of one journal transaction share
        // its commit, which tells the listener once.
        const committed = commits.length === 1 ? commits[0]! : Promise.all(commits);
        if (committed !== this.lastCommitted) {
          this.lastCommitted = committed;
          committed.then(
            () => listener.journaled(),
            (err: unknown) => logger.error({ err }, 'journal write failed'),
          );
        }
        return committed;
      }
    }
  }
}
