/**
 * Writes a batch to PostgreSQL in one transaction: readings through COPY (pg-copy-streams), then one
 * statement for everything derived from them — the rollups (unless TimescaleDB keeps them as continuous
 * aggregates), the events and the journal checkpoint — so a batch is stored exactly once, with everything
 * derived from it, in four round trips (BEGIN, COPY, the derived statement, COMMIT) whatever it holds.
 * Round trips matter: under load each one waits a turn of an event loop busy with the gateway.
 */
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { from as copyFrom } from 'pg-copy-streams';
import type { Database } from '../db/database.ts';
import { CheckpointStore } from '../ingest/checkpoints.ts';
import type { StorageEngine } from './layout.ts';
import { rollup, type RollupRow } from './rollup.ts';
import type { TelemetryBatch, TelemetrySink } from './sink.ts';

/** COPY text format: device ids and metric names are from a safe alphabet; numbers and times need no quoting. */
function copyText(batch: TelemetryBatch): string {
  let text = '';
  // Readings of a batch arrive in about time order, many in the same millisecond: one Date per new time.
  let lastTs = Number.NaN;
  let ts = '';
  for (const r of batch.readings) {
    if (r.ts !== lastTs) {
      lastTs = r.ts;
      ts = new Date(r.ts).toISOString();
    }
    const tail = `\t${ts}\t`;
    const seq = r.seq === undefined ? '\t\\N\n' : `\t${r.seq}\n`;
    for (const metric in r.values) text += r.deviceId + '\t' + metric + tail + r.values[metric] + seq;
  }
  return text;
}

/**
 * Array literals built directly (pg's generic array encoding quotes and escapes element by element, and
 * formats each Date): text elements quoted, numbers as JavaScript prints them (which float8 reads back
 * exactly), times as epoch milliseconds.
 */
const textArray = (xs: readonly string[]) => `{${xs.map((x) => `"${x.replace(/[\\"]/g, '\\$&')}"`).join(',')}}`;
const numberArray = (xs: readonly number[]) => `{${xs.join(',')}}`;

/** Parameters and SQL of one statement assembled from parts; `$n` placeholders are numbered as values are added. */
class Statement {
  readonly values: unknown[] = [];
  readonly ctes: string[] = [];

  param(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

function rollupCte(s: Statement, table: 'readings_1m' | 'readings_1h', rows: RollupRow[]): void {
  if (!rows.length) return;
  const p = [
    `${s.param(textArray(rows.map((r) => r.deviceId)))}::text[]`,
    `${s.param(textArray(rows.map((r) => r.metric)))}::text[]`,
    `${s.param(numberArray(rows.map((r) => r.bucket)))}::float8[]`,
    `${s.param(numberArray(rows.map((r) => r.min)))}::float8[]`,
    `${s.param(numberArray(rows.map((r) => r.max)))}::float8[]`,
    `${s.param(numberArray(rows.map((r) => r.sum)))}::float8[]`,
    `${s.param(numberArray(rows.map((r) => r.count)))}::int8[]`,
    `${s.param(numberArray(rows.map((r) => r.last)))}::float8[]`,
    `${s.param(numberArray(rows.map((r) => r.lastTs)))}::float8[]`,
  ];
  s.ctes.push(`rollup_${table.slice(-2)} AS (
     INSERT INTO ${table} (device_id, metric, bucket, min, max, sum, count, last, last_ts)
     SELECT device_id, metric, to_timestamp(bucket / 1000), min, max, sum, count, last, to_timestamp(last_ts / 1000)
       FROM unnest(${p.join(', ')}) AS r(device_id, metric, bucket, min, max, sum, count, last, last_ts)
     ON CONFLICT (device_id, metric, bucket) DO UPDATE SET
       min = least(${table}.min, EXCLUDED.min), max = greatest(${table}.max, EXCLUDED.max),
       sum = ${table}.sum + EXCLUDED.sum, count = ${table}.count + EXCLUDED.count,
       last = CASE WHEN EXCLUDED.last_ts >= ${table}.last_ts THEN EXCLUDED.last ELSE ${table}.last END,
       last_ts = greatest(${table}.last_ts, EXCLUDED.last_ts))`);
}

function eventsCte(s: Statement, batch: TelemetryBatch): void {
  const e = batch.events;
  if (!e.length) return;
  const p = [
    `${s.param(e.map((x) => x.deviceId))}::text[]`,
    `${s.param(e.map((x) => new Date(x.ts)))}::timestamptz[]`,
    `${s.param(e.map((x) => x.event))}::text[]`,
    `${s.param(e.map((x) => (x.data === undefined ? null : JSON.stringify(x.data))))}::jsonb[]`,
    `${s.param(e.map((x) => x.seq ?? null))}::int8[]`,
    `${s.param(e.map((x) => new Date(x.receivedAt)))}::timestamptz[]`,
  ];
  s.ctes.push(`new_events AS (INSERT INTO events (device_id, ts, event, data, seq, received_at) SELECT * FROM unnest(${p.join(', ')}))`);
}

/**
 * One statement for everything derived from the batch. Data-modifying CTEs each run exactly once and to
 * completion whether or not the main statement reads them; they touch different tables.
 */
function derivedStatement(batch: TelemetryBatch, engine: StorageEngine): { text: string; values: unknown[] } | undefined {
  const s = new Statement();
  if (batch.readings.length && engine === 'partitioned') {
    rollupCte(s, 'readings_1m', rollup(batch.readings, 60_000));
    rollupCte(s, 'readings_1h', rollup(batch.readings, 3_600_000));
  }
  eventsCte(s, batch);
  const main = batch.checkpoint ? CheckpointStore.storedSql(s.param(batch.checkpoint.journalId), s.param(batch.checkpoint.seq)) : 'SELECT 1';
  if (!s.ctes.length && !batch.checkpoint) return undefined;
  return { text: s.ctes.length ? `WITH ${s.ctes.join(',\n')}\n${main}` : main, values: s.values };
}

export class PostgresTelemetrySink implements TelemetrySink {
  readonly name = 'postgres';

  constructor(
    private readonly db: Database,
    private readonly engine: StorageEngine,
  ) {}

  async write(batch: TelemetryBatch): Promise<void> {
    const derived = derivedStatement(batch, this.engine);
    const client = await this.db.connect();
    try {
      await client.query('BEGIN');
      if (batch.readings.length) {
        await pipeline(Readable.from([copyText(batch)]), client.query(copyFrom('COPY readings (device_id, metric, ts, value, seq) FROM STDIN')));
      }
      if (derived) await client.query(derived.text, derived.values);
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
