/**
 * A secondary sink (InfluxDB) behind its own bounded, retrying queue: its trouble never holds up the
 * store of record or the alarm path. Past `maxQueued` messages the oldest are given up, and counted.
 */
import type { NormalisedEvent, NormalisedMessage, NormalisedTelemetry } from '../../gateway/ingest/message.ts';
import { BatchQueue } from '../batch-queue.ts';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../metrics.ts';
import type { TelemetryBatch, TelemetrySink } from './sink.ts';

export class BufferedSink implements TelemetrySink {
  readonly name: string;
  private readonly queue: BatchQueue<NormalisedMessage>;

  constructor(inner: TelemetrySink, deps: { logger: Logger; metrics: Metrics }, maxQueued = 500_000) {
    this.name = inner.name;
    this.queue = new BatchQueue<NormalisedMessage>({
      name: inner.name,
      logger: deps.logger,
      maxBatch: 5000,
      delayMs: 50,
      maxQueued,
      shed: (queue) => {
        queue.shift();
        deps.metrics.storeFailures.inc({ sink: `${inner.name}_dropped` });
      },
      onWriteError: () => deps.metrics.storeFailures.inc({ sink: inner.name }),
      write: (messages) => {
        const readings: NormalisedTelemetry[] = [];
        const events: NormalisedEvent[] = [];
        for (const m of messages) (m.type === 'telemetry' ? readings : events).push(m as never);
        return inner.write({ readings, events });
      },
    });
  }

  async write(batch: TelemetryBatch): Promise<void> {
    for (const r of batch.readings) this.queue.push(r);
    for (const e of batch.events) this.queue.push(e);
  }

  get queued(): number {
    return this.queue.length;
  }

  async close(): Promise<void> {
    await Promise.race([this.queue.drain(), new Promise((resolve) => setTimeout(resolve, 5000))]);
    this.queue.close();
  }
}
