import pg from 'pg';
import type { Logger } from '../logger.ts';

// timestamptz → ISO strings are produced by the mappers; keep bigint ids as strings, counts as numbers.
pg.types.setTypeParser(pg.types.builtins.INT8, (value: string) => value);

export type Database = pg.Pool;
/** Anything that runs a query: the pool, or a client inside a transaction. */
export type Queryable = Pick<pg.Pool, 'query'>;

export function createDatabase(url: string, logger: Logger, max = 10): Database {
  const pool = new pg.Pool({ connectionString: url, max, idleTimeoutMillis: 30_000, connectionTimeoutMillis: 10_000, application_name: 'anju' });
  // An idle client losing its server must not crash the process; the next query reconnects.
  // (While the pool ends, its clients close asynchronously and may see the server stop first: not news.)
  pool.on('error', (err) => {
    if (!pool.ending) logger.warn({ err: err.message }, 'idle database client failed');
  });
  // A client checked out between two queries when the server goes away emits 'error' with nobody
  // listening, which would end the process: log it; the caller's next query fails and is retried.
  pool.on('connect', (client) => {
    client.on('error', (err) => {
      if (!pool.ending) logger.warn({ err: err.message }, 'database connection lost');
    });
  });
  return pool;
}

export async function inTransaction<T>(db: Database, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await db.connect();
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/**
 * Whether a failure means the database is unreachable or going away (worth retrying until it is back)
 * rather than a fault in the statement itself.
 */
export function isTransientDbError(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null ? String((error as { code?: unknown }).code ?? '') : '';
  if (/^(08|57P|53)/.test(code)) return true; // connection exceptions, admin shutdown, insufficient resources
  if (['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND'].includes(code)) return true;
  const message = error instanceof Error ? error.message : String(error);
  return /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|the database system is (starting up|shutting down)/i.test(message);
}

/** Waits before the next attempt while the database is unreachable: 250 ms doubling up to 5 s. */
export function waitForDbRetry(attempt: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.min(250 * 2 ** Math.min(attempt, 5), 5000)));
}
