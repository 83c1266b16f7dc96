/**
 * Consumes the ingest journal in order: store each batch with its checkpoint (one transaction), then
 * evaluate the rules. After a crash it resumes from the checkpoints, so every acknowledged message is
 * stored exactly once and evaluated; alerts ignore a replayed signal they have already counted.
 * While the database is down it retries with backoff and the journal simply grows.
 */
import type { IngestJournal, JournalEntry } from '../../gateway/journal/ingest-journal.ts';
import type { NormalisedEvent, NormalisedTelemetry } from '../../gateway/ingest/message.ts';
import type { Clock } from '../clock.ts';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../metrics.ts';
import type { TelemetrySink } from '../telemetry/sink.ts';
import type { CheckpointStore } from './checkpoints.ts';

export interface JournalConsumerDeps {
  journal: IngestJournal;
  checkpoints: CheckpointStore;
  sinks: { primary: TelemetrySink; secondary: TelemetrySink[] };
  /** Evaluates the rules on stored entries (after `afterSeq`) and applies what they decide. */
  evaluate: (entries: JournalEntry[], journalId: string, afterSeq: number) => Promise<void>;
  /** Waits until what evaluation queued has been applied. */
  idle: () => Promise<void>;
  /** Sees every stored batch (e.g. broadcast receipts from speakers). */
  observe?: (entries: JournalEntry[]) => Promise<void>;
  metrics: Metrics;
  clock: Clock;
  logger: Logger;
  batchSize?: number;
}

const EVALUATED_WRITE_EVERY_MS = 1000;

export class JournalConsumer {
  private stored = 0;
  private evaluated = 0;
  private evaluatedWritten = 0;
  private evaluatedTimer: NodeJS.Timeout | undefined;
  private pumping: Promise<void> | undefined;
  private again = false;
  private failures = 0;
  private closed = false;
  private readonly batchSize: number;

  constructor(private readonly deps: JournalConsumerDeps) {
    this.batchSize = deps.batchSize ?? 2000;
  }

  get storedSeq(): number {
    return this.stored;
  }

  /** Loads the checkpoints and evaluates what was stored but not yet evaluated before a crash. */
  async start(): Promise<void> {
    const { journal, checkpoints, logger } = this.deps;
    const checkpoint = await checkpoints.get(journal.id);
    this.stored = checkpoint.stored;
    this.evaluated = this.evaluatedWritten = Math.min(checkpoint.evaluated, checkpoint.stored);
    const behind = journal.lastSeq - this.stored;
    if (behind > 0 || this.stored > this.evaluated) {
      logger.info({ journal: journal.id, stored: this.stored, evaluated: this.evaluated, toStore: behind }, 'resuming the ingest journal');
    }
    while (this.evaluated < this.stored) {
      const entries = journal.read(this.evaluated, this.batchSize).filter((e) => e.seq <= this.stored);
      if (!entries.length) break;
      await this.evaluate(entries);
    }
    this.notify();
  }

  /** New entries are committed: store and evaluate them soon. */
  notify(): void {
    if (this.closed) return;
    if (this.pumping) {
      this.again = true;
      return;
    }
    this.pumping = this.pump().finally(() => {
      this.pumping = undefined;
      if (this.again && !this.closed) {
        this.again = false;
        this.notify();
      }
    });
  }

  private async pump(): Promise<void> {
    const { journal } = this.deps;
    while (!this.closed) {
      const entries = journal.read(this.stored, this.batchSize);
      if (!entries.length) return;
      if (!(await this.store(entries))) {
        await new Promise((resolve) => setTimeout(resolve, Math.min(100 * 2 ** Math.min(this.failures, 6), 5000)));
        continue;
      }
      await this.evaluate(entries);
    }
  }

  private async store(entries: JournalEntry[]): Promise<boolean> {
    const { sinks, metrics, logger, journal } = this.deps;
    const readings: NormalisedTelemetry[] = [];
    const events: NormalisedEvent[] = [];
    for (const { message } of entries) {
      if (message.type === 'telemetry') readings.push(message);
      else events.push(message);
    }
    const last = entries[entries.length - 1]!.seq;
    try {
      await sinks.primary.write({ readings, events, checkpoint: { journalId: journal.id, seq: last } });
    } catch (error) {
      this.failures++;
      metrics.storeFailures.inc({ sink: sinks.primary.name });
      logger.warn({ err: error instanceof Error ? error.message : error, behind: journal.lastSeq - this.stored, attempt: this.failures }, 'could not store ingest batch; will retry');
      return false;
    }
    if (this.failures) logger.info({ attempts: this.failures }, 'ingest storage recovered');
    this.failures = 0;
    this.stored = last;
    journal.release(this.stored);
    metrics.ingestBacklog.set(journal.lastSeq - this.stored);
    for (const sink of sinks.secondary) {
      sink.write({ readings, events }).catch((err: unknown) => {
        metrics.storeFailures.inc({ sink: sink.name });
        logger.warn({ err: err instanceof Error ? err.message : err, sink: sink.name }, 'secondary telemetry sink failed');
      });
    }
    return true;
  }

  private async evaluate(entries: JournalEntry[]): Promise<void> {
    const { metrics, clock, logger, journal } = this.deps;
    try {
      await this.deps.evaluate(entries, journal.id, this.evaluated);
      await this.deps.observe?.(entries);
    } catch (error) {
      logger.error({ err: error }, 'evaluating an ingest batch failed');
    }
    const now = clock.now();
    for (const { message } of entries) metrics.ingestLatency.observe(Math.max(0, now - message.receivedAt) / 1000);
    this.evaluated = Math.max(this.evaluated, entries[entries.length - 1]!.seq);
    this.evaluatedTimer ??= setTimeout(() => void this.writeEvaluated(), EVALUATED_WRITE_EVERY_MS);
  }

  private async writeEvaluated(): Promise<void> {
    clearTimeout(this.evaluatedTimer);
    this.evaluatedTimer = undefined;
    if (this.evaluated === this.evaluatedWritten) return;
    const seq = this.evaluated;
    try {
      await this.deps.checkpoints.advanceEvaluated(this.deps.journal.id, seq);
      this.evaluatedWritten = seq;
    } catch (error) {
      this.deps.logger.warn({ err: error instanceof Error ? error.message : error }, 'could not record the evaluated checkpoint');
    }
  }

  /** Resolves once everything appended so far is stored and evaluated (tests, shutdown). */
  async drain(timeoutMs = 30_000): Promise<void> {
    const target = this.deps.journal.lastSeq;
    const deadline = Date.now() + timeoutMs;
    while (this.evaluated < target && !this.closed) {
      if (Date.now() > deadline) throw new Error(`ingest did not catch up: evaluated ${this.evaluated} of ${target}`);
      this.notify();
      await (this.pumping ?? new Promise((resolve) => setTimeout(resolve, 5)));
    }
    await this.deps.idle();
    await this.writeEvaluated();
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.evaluatedTimer);
  }
}
