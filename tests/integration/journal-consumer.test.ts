/**
 * The ingest consumer against a real PostgreSQL when a batch's COMMIT succeeds but its reply is lost:
 * the retry must not store the batch again (the stored checkpoint, written in the same transaction,
 * tells how far the failed attempt got).
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NormalisedMessage } from '../../gateway/ingest/message.ts';
import { IngestJournal } from '../../gateway/journal/ingest-journal.ts';
import { systemClock } from '../../platform/clock.ts';
import { createDatabase, type Database } from '../../platform/db/database.ts';
import { migrate } from '../../platform/db/migrate.ts';
import { CheckpointStore } from '../../platform/ingest/checkpoints.ts';
import { JournalConsumer } from '../../platform/ingest/journal-consumer.ts';
import { createLogger } from '../../platform/logger.ts';
import { createMetrics } from '../../platform/metrics.ts';
import { storageEngine } from '../../platform/telemetry/layout.ts';
import { PostgresTelemetrySink } from '../../platform/telemetry/postgres-sink.ts';
import type { TelemetryBatch, TelemetrySink } from '../../platform/telemetry/sink.ts';
import { createTestDatabase } from '../helpers/database.ts';

const logger = createLogger('silent');
let db: Database;
let dir: string;

beforeAll(async () => {
  db = createDatabase(await createTestDatabase(), logger);
  await migrate(db, logger);
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'anju-consumer-'));
});

afterAll(async () => {
  await db?.end();
  if (dir) await fs.rm(dir, { recursive: true, force: true });
});

/** Readings of the last minute (partitions exist around the present). */
const start = Date.now() - 60_000;
const reading = (seq: number): NormalisedMessage => ({ type: 'telemetry', deviceId: 'dev-lost-reply', ts: start + seq * 1000, seq, values: { gas_lel: seq }, receivedAt: start + seq * 1000 });

/** The real sink, except that the first write's reply is "lost" after it committed. */
class LostReplySink implements TelemetrySink {
  readonly name = 'postgres';
  attempts = 0;
  constructor(private readonly inner: PostgresTelemetrySink) {}
  async write(batch: TelemetryBatch): Promise<void> {
    this.attempts++;
    await this.inner.write(batch);
    if (this.attempts === 1) throw Object.assign(new Error('Connection terminated unexpectedly'), { code: 'ECONNRESET' });
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

describe('journal consumer', () => {
  it('stores a batch once when the reply to its COMMIT was lost, and the rest after it', async () => {
    const journal = await IngestJournal.open(dir);
    await Promise.all([1, 2, 3, 4, 5].map((n) => journal.append(reading(n), 'gas_detector').committed));
    const sink = new LostReplySink(new PostgresTelemetrySink(db, await storageEngine(db)));
    const consumer = new JournalConsumer({
      journal,
      checkpoints: new CheckpointStore(db),
      sinks: { primary: sink, secondary: [] },
      evaluate: async () => undefined,
      idle: async () => undefined,
      metrics: createMetrics(),
      clock: systemClock,
      logger,
      batchSize: 3,
    });
    await consumer.start();
    await consumer.drain(10_000);
    consumer.close();
    await journal.close();

    const { rows } = await db.query<{ seq: string; n: string }>(`SELECT seq, count(*) AS n FROM readings WHERE device_id = 'dev-lost-reply' GROUP BY seq ORDER BY seq`);
    expect(rows.map((r) => [Number(r.seq), Number(r.n)])).toEqual([1, 2, 3, 4, 5].map((seq) => [seq, 1]));
    const rollup = await db.query<{ count: string }>(`SELECT sum(count) AS count FROM readings_1m WHERE device_id = 'dev-lost-reply'`);
    expect(Number(rollup.rows[0]!.count)).toBe(5);
    expect(sink.attempts).toBeGreaterThanOrEqual(2);
    expect((await new CheckpointStore(db).get(journal.id)).stored).toBe(5);
  });
});
