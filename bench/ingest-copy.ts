/**
 * The ingest benchmark's baseline: the same number of readings, of the same shape (the same devices and
 * metrics, current timestamps, a value and a seq), written straight into the same `readings` table of
 * the same database with one `COPY … FROM STDIN` (pg-copy-streams) in one transaction from this process.
 * Also the small database queries the benchmark needs (row counts, the service's ingest checkpoint).
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { findDeviceKind } from '../contract/index.ts';
import { epochNow } from './child.ts';

export interface CopyDevice {
  id: string;
  kind: string;
}

export interface CopyRun {
  rows: number;
  ms: number;
  rowsPerSecond: number;
  /** CPU of the database's processes during the COPY, % of one core. */
  databaseCpuPercent: number;
}

/** COPY text for `messagesPerDevice` messages of every device (every metric of its kind), in chunks of about `chunkRows`. */
function* copyChunks(devices: CopyDevice[], messagesPerDevice: number, seqStart: number, chunkRows = 5000): Generator<string> {
  const metrics = devices.map((d) => Object.entries(findDeviceKind(d.kind)!.metrics).map(([name, m]) => ({ name, low: m.normal[0], high: m.normal[1] })));
  const start = Date.now() - messagesPerDevice;
  let lines: string[] = [];
  for (let i = 0; i < messagesPerDevice; i++) {
    const ts = new Date(start + i).toISOString();
    const seq = seqStart + i;
    for (const [d, device] of devices.entries()) {
      for (const m of metrics[d]!) lines.push(`${device.id}\t${m.name}\t${ts}\t${Math.round((m.low + Math.random() * (m.high - m.low)) * 100) / 100}\t${seq}\n`);
    }
    if (lines.length >= chunkRows) {
      yield lines.join('');
      lines = [];
    }
  }
  if (lines.length) yield lines.join('');
}

/** Writes the rows with one COPY in one transaction; the time runs from BEGIN to COMMIT. */
export async function rawCopy(url: string, devices: CopyDevice[], messagesPerDevice: number, seqStart: number, databaseCpuMs: () => Promise<number>): Promise<CopyRun> {
  const client = new pg.Client({ connectionString: url, application_name: 'anju-bench-copy' });
  await client.connect();
  try {
    const rows = devices.reduce((n, d) => n + Object.keys(findDeviceKind(d.kind)!.metrics).length, 0) * messagesPerDevice;
    const cpu0 = await databaseCpuMs();
    const started = epochNow();
    await client.query('BEGIN');
    await pipeline(Readable.from(copyChunks(devices, messagesPerDevice, seqStart)), client.query(copyFrom('COPY readings (device_id, metric, ts, value, seq) FROM STDIN')));
    await client.query('COMMIT');
    const ms = epochNow() - started;
    const databaseCpuPercent = Math.round((((await databaseCpuMs()) - cpu0) / ms) * 100);
    return { rows, ms: Number(ms.toFixed(1)), rowsPerSecond: Math.round(rows / (ms / 1000)), databaseCpuPercent };
  } finally {
    await client.end();
  }
}

/** A small client for the benchmark's own queries. */
export class BenchDatabase {
  private constructor(private readonly client: pg.Client) {}

  static async connect(url: string): Promise<BenchDatabase> {
    const client = new pg.Client({ connectionString: url, application_name: 'anju-bench' });
    await client.connect();
    return new BenchDatabase(client);
  }

  async readings(): Promise<number> {
    const { rows } = await this.client.query<{ n: string }>('SELECT count(*) AS n FROM readings');
    return Number(rows[0]!.n);
  }

  /** The service's journal checkpoint: stored (with the rows, in their transaction), evaluated (bulk lane) and alarm (urgent lane). */
  async checkpoint(): Promise<{ stored: number; evaluated: number; alarm: number }> {
    const { rows } = await this.client.query<{ stored: string; evaluated: string; alarm: string }>(
      'SELECT coalesce(max(stored_seq), 0) AS stored, coalesce(max(evaluated_seq), 0) AS evaluated, coalesce(max(alarm_seq), 0) AS alarm FROM ingest_checkpoints',
    );
    return { stored: Number(rows[0]!.stored), evaluated: Number(rows[0]!.evaluated), alarm: Number(rows[0]!.alarm) };
  }

  /** Flushes dirty buffers now, so that neither measured phase pays for the other's checkpoint. */
  async checkpointServer(): Promise<void> {
    await this.client.query('CHECKPOINT');
  }

  async version(): Promise<string> {
    const { rows } = await this.client.query<{ v: string }>("SELECT current_setting('server_version') AS v");
    return rows[0]!.v;
  }

  async close(): Promise<void> {
    await this.client.end();
  }
}
