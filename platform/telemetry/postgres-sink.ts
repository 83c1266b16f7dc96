/**
 * Writes a batch to PostgreSQL in one transaction: readings through COPY (pg-copy-streams), events in one
 * multi-row statement, the rollups (unless TimescaleDB keeps them as continuous aggregates) and the
 * journal checkpoint — so a batch is stored exactly once, with everything derived from it.
 */
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Database } from '../db/database.ts';
import { CheckpointStore } from '../ingest/checkpoints.ts';
import type { StorageEngine } from './layout.ts';
import { rollup, type RollupRow } from './rollup.ts';
import type { TelemetryBatch, TelemetrySink } from './sink.ts';

/** COPY text format: device ids and metric names are from a safe alphabet; numbers and times need no quoting. */
function copyText(batch: TelemetryBatch): string {
  const lines: string[] = [];
  for (const r of batch.readings) {
    const ts = new Date(r.ts).toISOString();
    const seq = r.seq === undefined ? '\\N' : String(r.seq);
    for (const metric in r.values) lines.push(`${r.deviceId}\t${metric}\t${ts}\t${r.values[metric]}\t${seq}\n`);
  }
  return lines.join('');
}

async function mergeRollup(client: pg.PoolClient, table: 'readings_1m' | 'readings_1h', rows: RollupRow[]): Promise<void> {
  if (!rows.length) return;
  await client.query(
    `INSERT INTO ${table} (device_id, metric, bucket, min, max, sum, count, last, last_ts)
     SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::float8[], $5::float8[], $6::float8[], $7::int8[], $8::float8[], $9::timestamptz[])
     ON CONFLICT (device_id, metric, bucket) DO UPDATE SET
       min = least(${table}.min, EXCLUDED.min), max = greatest(${table}.max, EXCLUDED.max),
       sum = ${table}.sum + EXCLUDED.sum, count = ${table}.count + EXCLUDED.count,
       last = CASE WHEN EXCLUDED.last_ts >= ${table}.last_ts THEN EXCLUDED.last ELSE ${table}.last END,
       last_ts = greatest(${table}.last_ts, EXCLUDED.last_ts)`,
    [
      rows.map((r) => r.deviceId),
      rows.map((r) => r.metric),
      rows.map((r) => new Date(r.bucket)),
      rows.map((r) => r.min),
      rows.map((r) => r.max),
      rows.map((r) => r.sum),
      rows.map((r) => r.count),
      rows.map((r) => r.last),
      rows.map((r) => new Date(r.lastTs)),
    ],
  );
}

export class PostgresTelemetrySink implements TelemetrySink {
  readonly name = 'postgres';

  constructor(
    private readonly db: Database,
    private readonly engine: StorageEngine,
  ) {}

  async write(batch: TelemetryBatch): Promise<void> {
    const client = await this.db.connect();
    try {
      await client.query('BEGIN');
      if (batch.readings.length) {
        await pipeline(Readable.from([copyText(batch)]), client.query(copyFrom('COPY readings (device_id, metric, ts, value, seq) FROM STDIN')));
        if (this.engine === 'partitioned') {
          await mergeRollup(client, 'readings_1m', rollup(batch.readings, 60_000));
          await mergeRollup(client, 'readings_1h', rollup(batch.readings, 3_600_000));
        }
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
