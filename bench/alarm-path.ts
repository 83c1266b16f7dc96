/**
 * Follows alarm messages through the service from inside the process, without touching platform
 * code (like `AnjuProbe`, it wraps objects the service exposes):
 * - the ingest journal: `append` (the gateway accepted the message), its `committed` promise (on disk;
 *   PUBACK follows), `read` (a consumer lane took the entry — the first read counts);
 * - the database pool: every transaction's statements, timed; the alert transaction that raised or
 *   repeated an alarm's alert (recognised by its `INSERT INTO alerts … ON CONFLICT` statement), and the
 *   storage transaction that wrote the alarm's event row (`INSERT INTO events`).
 * It assumes nothing about the order of storage and rule evaluation (they may run in separate lanes).
 * Times are epoch ms (`epochNow`), comparable with the alarm probe's in its own process.
 */
import type pg from 'pg';
import type { JournalEntry } from '../gateway/journal/ingest-journal.ts';
import type { NormalisedMessage } from '../gateway/ingest/message.ts';
import type { Service } from '../platform/service.ts';
import { epochNow } from './child.ts';

export interface AlarmTrace {
  appendedAt?: number;
  committedAt?: number;
  /** First time a consumer lane read the entry. */
  readAt?: number;
  /** The storage transaction that wrote the alarm's event row committed. */
  storedAt?: number;
}

export interface TracedTransaction {
  begin: number;
  commit: number;
  /** Time inside statements (sent → answered), ms. */
  inStatements: number;
  statements: { label: string; ms: number }[];
}

interface OpenTransaction {
  begin: number;
  statements: { label: string; ms: number }[];
  alarmDevice?: string;
  eventDevices?: Set<string>;
  storage?: boolean;
}

const ALERT_RAISE = /^\s*WITH previous AS \(\s*SELECT level FROM alerts/;
/** Storage writes events with `INSERT INTO events` (alone or in a CTE) and readings with COPY or INSERT. */
const INSERT_EVENTS = /INSERT INTO events /;
const STORAGE = /INSERT INTO (readings|events) |COPY readings /;

const labels = new Map<string, string>();

/** A short name for a statement: its first words, whitespace collapsed. */
function label(text: string): string {
  let short = labels.get(text);
  if (short === undefined) {
    const flat = text.replace(/\s+/g, ' ').trim();
    short = flat.length > 72 ? `${flat.slice(0, 72)}…` : flat;
    if (labels.size < 1000) labels.set(text, short);
  }
  return short;
}

type QueryArgs = [string | { text?: string; values?: unknown[] }, ...unknown[]];
const INSTRUMENTED = Symbol('bench-instrumented');
const MAX_RECORDS = 200_000;

export class AlarmPathTracer {
  /** Traces by `${deviceId}:${seq}`. */
  readonly alarms = new Map<string, AlarmTrace>();
  /** Alert transactions by device, in order. */
  readonly alertTransactions = new Map<string, TracedTransaction[]>();
  /** Storage transactions (telemetry batch + checkpoint). */
  storage: { begin: number; commit: number }[] = [];
  /** Non-empty journal reads by the consumer lanes: when and how many entries. */
  reads: { at: number; entries: number }[] = [];
  /** Messages accepted by the gateway, and stored and evaluated (bulk lane), since the tracer was attached: their difference is the backlog. */
  accepted = 0;
  evaluated = 0;
  private readonly restore: (() => void)[] = [];

  constructor(
    service: Service,
    private readonly isAlarm: (message: NormalisedMessage) => boolean,
  ) {
    const journal = service.journal;
    const append = journal.append;
    journal.append = (message, kind) => {
      const out = append.call(journal, message, kind);
      if (this.isAlarm(message)) {
        const trace: AlarmTrace = { appendedAt: epochNow() };
        this.alarms.set(`${message.deviceId}:${message.seq}`, trace);
        void out.committed.then(() => (trace.committedAt = epochNow()));
      }
      return out;
    };
    const read = journal.read;
    journal.read = (afterSeq, limit) => {
      const entries: JournalEntry[] = read.call(journal, afterSeq, limit);
      if (!entries.length) return entries;
      const at = epochNow();
      if (this.reads.length < MAX_RECORDS) this.reads.push({ at, entries: entries.length });
      for (const { message } of entries) {
        if (!this.isAlarm(message)) continue;
        const trace = this.alarms.get(`${message.deviceId}:${message.seq}`);
        if (trace && trace.readAt === undefined) trace.readAt = at;
      }
      return entries;
    };
    this.restore.push(() => {
      journal.append = append;
      journal.read = read;
    });

    const metrics = service.metrics;
    const histogram = metrics.ingestLatency;
    const countAccepted = metrics.countAccepted;
    const observe = histogram.observe;
    metrics.countAccepted = (channel, kind) => {
      this.accepted++;
      countAccepted(channel, kind);
    };
    histogram.observe = ((...args: unknown[]) => {
      this.evaluated++;
      return (observe as (...a: unknown[]) => void).apply(histogram, args);
    }) as typeof histogram.observe;
    this.restore.push(() => {
      metrics.countAccepted = countAccepted;
      histogram.observe = observe;
    });

    const pool = service.db;
    const connect = pool.connect;
    const instrument = (client: pg.PoolClient) => this.instrument(client);
    pool.connect = function (this: pg.Pool, callback?: (err: Error | undefined, client: pg.PoolClient | undefined, done: (release?: unknown) => void) => void) {
      if (callback) {
        return (connect as (cb: typeof callback) => void).call(this, (err, client, done) => {
          if (client) instrument(client);
          callback(err, client, done);
        });
      }
      return (connect as () => Promise<pg.PoolClient>).call(this).then((client) => {
        instrument(client);
        return client;
      });
    } as typeof pool.connect;
    this.restore.push(() => {
      pool.connect = connect;
    });
  }

  /** Forgets what was traced so far (between phases). */
  reset(): void {
    this.alarms.clear();
    this.alertTransactions.clear();
    this.storage = [];
    this.reads = [];
  }

  /** Accepted but not yet stored and evaluated. */
  get backlog(): number {
    return this.accepted - this.evaluated;
  }

  detach(): void {
    for (const fn of this.restore.splice(0).reverse()) fn();
  }

  private instrument(client: pg.PoolClient): void {
    const marked = client as pg.PoolClient & { [INSTRUMENTED]?: boolean };
    if (marked[INSTRUMENTED]) return;
    marked[INSTRUMENTED] = true;
    const query = client.query;
    let open: OpenTransaction | undefined;
    const observe = (text: string, values: unknown[] | undefined, started: number) => {
      const ended = epochNow();
      if (text === 'BEGIN') {
        open = { begin: started, statements: [] };
        return;
      }
      const tx = open;
      if (!tx) return;
      if (text === 'ROLLBACK') {
        open = undefined;
        return;
      }
      tx.statements.push({ label: text === 'COMMIT' ? 'COMMIT' : label(text), ms: ended - started });
      if (text === 'COMMIT') {
        open = undefined;
        this.closed(tx, ended);
        return;
      }
      if (ALERT_RAISE.test(text) && values) tx.alarmDevice ??= String(values[2]);
      if (STORAGE.test(text)) tx.storage = true;
      if (INSERT_EVENTS.test(text) && values) {
        // Which parameter holds the device ids depends on the statement: take every string of every array.
        const devices = (tx.eventDevices ??= new Set());
        for (const v of values) if (Array.isArray(v)) for (const x of v) if (typeof x === 'string') devices.add(x);
      }
    };
    client.query = function (this: pg.PoolClient, ...args: QueryArgs) {
      const first = args[0];
      const text = typeof first === 'string' ? first : first?.text;
      const values = (typeof first === 'string' ? args[1] : first?.values) as unknown[] | undefined;
      const started = epochNow();
      const done = () => {
        if (typeof text === 'string') observe(text, Array.isArray(values) ? values : undefined, started);
      };
      const last = args[args.length - 1];
      if (typeof last === 'function') {
        args[args.length - 1] = (err: Error | null, result: unknown) => {
          done();
          (last as (e: Error | null, r: unknown) => void)(err, result);
        };
        return (query as (...a: unknown[]) => unknown).apply(this, args);
      }
      const result = (query as (...a: unknown[]) => unknown).apply(this, args);
      if (result && typeof (result as Promise<unknown>).then === 'function') {
        return (result as Promise<unknown>).then((r) => {
          done();
          return r;
        });
      }
      // A streaming query (COPY … FROM STDIN): timed until the stream finishes.
      if (result && typeof (result as NodeJS.EventEmitter).once === 'function') (result as NodeJS.EventEmitter).once('finish', done);
      return result;
    } as typeof client.query;
  }

  private closed(tx: OpenTransaction, commit: number): void {
    const inStatements = tx.statements.reduce((sum, s) => sum + s.ms, 0);
    if (tx.alarmDevice) {
      const list = this.alertTransactions.get(tx.alarmDevice) ?? [];
      list.push({ begin: tx.begin, commit, inStatements, statements: tx.statements });
      this.alertTransactions.set(tx.alarmDevice, list);
    }
    if (tx.storage) {
      if (this.storage.length < MAX_RECORDS) this.storage.push({ begin: tx.begin, commit });
      if (tx.eventDevices) {
        const devices = tx.eventDevices;
        for (const [key, trace] of this.alarms) {
          if (trace.storedAt === undefined && trace.readAt !== undefined && devices.has(key.slice(0, key.lastIndexOf(':')))) trace.storedAt = commit;
        }
      }
    }
  }
}
