import type { Database } from '../db/database.ts';
import { CheckpointStore } from '../ingest/checkpoints.ts';
import type { TelemetryBatch, TelemetrySink } from './sink.ts';

/** Writes a batch with one multi-row statement per table (arrays through unnest) and its checkpoint, in one transaction. */
export class PostgresTelemetrySink implements TelemetrySink {
  readonly name = 'postgres';

  constructor(private readonly db: Database) {}

  async write(batch: TelemetryBatch): Promise<void> {
    const deviceIds: string[] = [];
    const metrics: string[] = [];
    const stamps: Date[] = [];
    const values: number[] = [];
    const seqs: (number | null)[] = [];
    for (const r of batch.readings) {
      const ts = new Date(r.ts);
      for (const metric in r.values) {
        deviceIds.push(r.deviceId);
        metrics.push(metric);
        stamps.push(ts);
        values.push(r.values[metric]!);
        seqs.push(r.seq ?? null);
      }
    }
    const client = await this.db.connect();
    try {
      await client.query('BEGIN');
      if (deviceIds.length) {
        await client.query(
          'INSERT INTO readings (device_id, metric, ts, value, seq) SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::float8[], $5::int8[])',
          [deviceIds, metrics, stamps, values, seqs],
        );
      }
      if (batch.events.length) {
        const e = batch.events;
        await client.query(
          'INSERT INTO events (device_id, ts, event, data, seq, received_at) SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::text[], $4::jsonb[], $5::int8[], $6::timestamptz[])',
          [
            e.map((x) => x.deviceId),
            e.map((x) => new Date(x.ts)),
            e.map((x) => x.event),
            e.map((x) => (x.data === undefined ? null : JSON.stringify(x.data))),
            e.map((x) => x.seq ?? null),
            e.map((x) => new Date(x.receivedAt)),
          ],
        );
      }
      if (batch.checkpoint) await CheckpointStore.advanceStored(client, batch.checkpoint.journalId, batch.checkpoint.seq);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {}
}
