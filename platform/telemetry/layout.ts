import type { Database } from '../db/database.ts';

/** How the database stores telemetry: TimescaleDB hypertables, or native daily partitions. */
export type StorageEngine = 'timescaledb' | 'partitioned';

export async function storageEngine(db: Database): Promise<StorageEngine> {
  const { rows } = await db.query<{ engine: StorageEngine }>('SELECT engine FROM storage_layout');
  return rows[0]?.engine ?? 'partitioned';
}
