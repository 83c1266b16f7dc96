/** A PostgreSQL telemetry store (sink + history) on a database, migrated. */
import { createDatabase } from '../../platform/db/database.ts';
import { migrate } from '../../platform/db/migrate.ts';
import { createLogger } from '../../platform/logger.ts';
import { TelemetryHistory } from '../../platform/telemetry/history.ts';
import { storageEngine } from '../../platform/telemetry/layout.ts';
import { PostgresTelemetrySink } from '../../platform/telemetry/postgres-sink.ts';
import type { TelemetryStore } from '../../platform/telemetry/store.ts';

export async function openPostgresStore(url: string): Promise<{ store: TelemetryStore; close: () => Promise<void> }> {
  const logger = createLogger('silent');
  const db = createDatabase(url, logger);
  await migrate(db, logger);
  const sink = new PostgresTelemetrySink(db, await storageEngine(db));
  const history = new TelemetryHistory(db);
  const store: TelemetryStore = {
    name: sink.name,
    write: (batch) => sink.write(batch),
    close: () => sink.close(),
    readings: (...args) => history.readings(...args),
    events: (...args) => history.events(...args),
  };
  return { store, close: () => db.end() };
}
