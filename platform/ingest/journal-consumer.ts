/**
 * Consumes the ingest journal in two lanes. The urgent lane evaluates alarm rules (events, and thresholds
 * that can reach orange or red) as soon as entries are committed, ahead of storage, so an alarm never
 * waits behind bulk telemetry or a slow database. The bulk lane stores each batch with its checkpoint in
 * one transaction (COPY), then evaluates the remaining rules. After a crash both lanes resume from their
 * checkpoints: every acknowledged message is stored exactly once, and alerts ignore a replayed signal they
 * have already counted. While the database is down, storage retries with backoff and the journal grows.
 */
import type { IngestJournal, JournalEntry } from '../../gateway/journal/ingest-journal.ts';
import type { NormalisedEvent, NormalisedTelemetry } from '../../gateway/ingest/message.ts';
import type { Clock } from '../clock.ts';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../metrics.ts';
import type { Lane } from '../rules/engine.ts';
import type { TelemetrySink } from '../telemetry/sink.ts';
import type { CheckpointStore } from './checkpoints.ts';

export interface JournalConsumerDeps {
  journal: IngestJournal;
  checkpoints: CheckpointStore;
  sinks: { primary: TelemetrySink; secondary: TelemetrySink[] };
  /** Evaluates one lane's rules on entries (after `afterSeq`) and applies what they decide. */
  evaluate: (entries: JournalEntry[], journalId: string, afterSeq: number, lane: Lane) => Promise<void>;
  /** Waits until what evaluation queued has been applied. */
  idle: () => Promise<void>;
  /** Sees every stored batch (e.g. broadcast receipts from speakers). */
  observe?: (entries: JournalEntry[]) => Promise<void>;
  metrics: Metrics;
  clock: Clock;
  logger: Logger;
  batchSize?: number;
}

const CHECKPOINT_WRITE_EVERY_MS = 1000;

function split(entries: JournalEntry[]): { readings: NormalisedTelemetry[]; events: NormalisedEvent[] } {
  const readings: NormalisedTelemetry[] = [];
  const events: NormalisedEvent[] = [];
  for (const { message } of entries) {
    if (message.type === 'telemetry') readings.push(message);
    else events.push(message);
  }
  return { readings, events };
}

/** One loop over the journal with its own position; `notify` wakes it, one pass at a time. */
class Loop {
  private running: Promise<void> | undefined;
  private again = false;
  closed = false;

  constructor(private readonly pass: () => Promise<void>) {}

  notify(): void {
    if (this.closed) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.pass().finally(() => {
      this.running = undefined;
      if (this.again && !this.closed) {
        this.again = false;
        this.notify();
      }
    });
  }

  get idle(): Promise<void> {
    return this.running ?? Promise.resolve();
  }
}

export class JournalConsumer {
  private stored = 0;
  private evaluated = 0;
  private alarm = 0;
  private written = { evaluated: 0, alarm: 0 };
  private checkpointTimer: NodeJS.Timeout | undefined;
  private failures = 0;
  private closed = false;
  private readonly batchSize: number;
  private readonly bulk = new Loop(() => this.pumpBulk());
  private readonly urgent = new Loop(() => this.pumpUrgent());

  constructor(private readonly deps: JournalConsumerDeps) {
    this.batchSize = deps.batchSize ?? 5000;
  }

  get storedSeq(): number {
    return this.stored;
  }

  /** Every entry up to here is stored and evaluated in both lanes: the journal may forget it. */
  get consumedSeq(): number {
    return Math.min(this.stored, this.evaluated, this.alarm);
  }

  /** Loads the checkpoints and evaluates what was stored but not yet evaluated before a crash. */
  async start(): Promise<void> {
    const { journal, checkpoints, logger } = this.deps;
    const checkpoint = await checkpoints.get(journal.id);
    this.stored = checkpoint.stored;
    this.evaluated = Math.min(checkpoint.evaluated, checkpoint.stored);
    this.alarm = checkpoint.alarm;
    this.written = { evaluated: this.evaluated, alarm: this.alarm };
    if (journal.lastSeq > Math.min(this.stored, this.alarm) || this.stored > this.evaluated) {
      logger.info({ journal: journal.id, stored: this.stored, evaluated: this.evaluated, alarm: this.alarm, last: journal.lastSeq }, 'resuming the ingest journal');
    }
    while (this.evaluated < this.stored) {
      const entries = journal.read(this.evaluated, this.batchSize).filter((e) => e.seq <= this.stored);
      if (!entries.length) break;
      await this.evaluateBulk(entries);
    }
    this.notify();
  }

  /** New entries are committed: evaluate alarms now, store and evaluate the rest soon. */
  notify(): void {
    if (this.closed) return;
    this.urgent.notify();
    this.bulk.notify();
  }

  private async pumpUrgent(): Promise<void> {
    const { journal, logger } = this.deps;
    while (!this.closed) {
      const entries = journal.read(this.alarm, this.batchSize);
      if (!entries.length) return;
      try {
        await this.deps.evaluate(entries, journal.id, this.alarm, 'urgent');
      } catch (error) {
        logger.error({ err: error }, 'urgent rule evaluation failed; retrying');
        await new Promise((resolve) => setTimeout(resolve, 500));
        continue;
      }
      this.alarm = entries[entries.length - 1]!.seq;
      this.release();
      this.scheduleCheckpoint();
    }
  }

  private async pumpBulk(): Promise<void> {
    const { journal } = this.deps;
    while (!this.closed) {
      const entries = journal.read(this.stored, this.batchSize);
      if (!entries.length) return;
      if (!(await this.store(entries))) {
        await new Promise((resolve) => setTimeout(resolve, Math.min(100 * 2 ** Math.min(this.failures, 6), 5000)));
        continue;
      }
      await this.evaluateBulk(entries);
    }
  }

  private release(): void {
    this.deps.journal.release(Math.min(this.stored, this.alarm));
  }

  private async store(entries: JournalEntry[]): Promise<boolean> {
    const { sinks, metrics, logger, journal } = this.deps;
    const last = entries[entries.length - 1]!.seq;
    const batch = split(entries);
    try {
      // After a failure the last attempt may have committed all the same (the reply to COMMIT was lost):
      // the stored checkpoint, written in the same transaction, says how far it got.
      const committed = this.failures ? (await this.deps.checkpoints.get(journal.id)).stored : 0;
      const { readings, events } = committed ? split(entries.filter((e) => e.seq > committed)) : batch;
      if (readings.length || events.length) await sinks.primary.write({ readings, events, checkpoint: { journalId: journal.id, seq: last } });
      else logger.info({ seq: committed }, 'the failed ingest batch had been stored after all');
    } catch (error) {
      this.failures++;
      metrics.storeFailures.inc({ sink: sinks.primary.name });
      logger.warn({ err: error instanceof Error ? error.message : error, behind: journal.lastSeq - this.stored, attempt: this.failures }, 'could not store ingest batch; will retry');
      return false;
    }
    if (this.failures) logger.info({ attempts: this.failures }, 'ingest storage recovered');
    this.failures = 0;
    this.stored = last;
    this.release();
    metrics.ingestBacklog.set(journal.lastSeq - this.stored);
    // Secondary sinks (InfluxDB) get the whole batch: a point written twice is the same point.
    for (const sink of sinks.secondary) sink.write(batch).catch((err: unknown) => logger.warn({ err, sink: sink.name }, 'secondary telemetry sink failed'));
    return true;
  }

  private async evaluateBulk(entries: JournalEntry[]): Promise<void> {
    const { metrics, clock, logger, journal } = this.deps;
    try {
      await this.deps.evaluate(entries, journal.id, this.evaluated, 'bulk');
      await this.deps.observe?.(entries);
    } catch (error) {
      logger.error({ err: error }, 'evaluating an ingest batch failed');
    }
    const now = clock.now();
    for (const { message } of entries) metrics.ingestLatency.observe(Math.max(0, now - message.receivedAt) / 1000);
    this.evaluated = Math.max(this.evaluated, entries[entries.length - 1]!.seq);
    this.scheduleCheckpoint();
  }

  private scheduleCheckpoint(): void {
    this.checkpointTimer ??= setTimeout(() => void this.writeCheckpoint(), CHECKPOINT_WRITE_EVERY_MS);
  }

  private async writeCheckpoint(): Promise<void> {
    clearTimeout(this.checkpointTimer);
    this.checkpointTimer = undefined;
    const target = { evaluated: this.evaluated, alarm: this.alarm };
    if (target.evaluated === this.written.evaluated && target.alarm === this.written.alarm) return;
    try {
      await this.deps.checkpoints.advanceEvaluated(this.deps.journal.id, target.evaluated, target.alarm);
      this.written = target;
    } catch (error) {
      this.deps.logger.warn({ err: error instanceof Error ? error.message : error }, 'could not record the evaluated checkpoints');
      this.scheduleCheckpoint();
    }
  }

  /** How many journal entries storage is behind (the database is slow or down when it grows). */
  get backlog(): number {
    return this.deps.journal.lastSeq - this.stored;
  }

  /** Resolves once everything appended so far is stored and evaluated in both lanes (tests, shutdown). */
  async drain(timeoutMs = 30_000): Promise<void> {
    const target = this.deps.journal.lastSeq;
    const deadline = Date.now() + timeoutMs;
    while ((this.evaluated < target || this.alarm < target) && !this.closed) {
      if (Date.now() > deadline) throw new Error(`ingest did not catch up: stored ${this.stored}, evaluated ${this.evaluated}, alarms ${this.alarm} of ${target}`);
      this.notify();
      await Promise.race([Promise.all([this.bulk.idle, this.urgent.idle]), new Promise((resolve) => setTimeout(resolve, 5))]);
    }
    await this.deps.idle();
    await this.writeCheckpoint();
  }

  close(): void {
    this.closed = true;
    this.bulk.closed = true;
    this.urgent.closed = true;
    clearTimeout(this.checkpointTimer);
  }
}
