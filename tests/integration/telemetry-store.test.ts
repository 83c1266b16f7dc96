/** The telemetry-store contract on the embedded PostgreSQL 17 (partitioned layout). */
import { createTestDatabase } from '../helpers/database.ts';
import { openPostgresStore } from '../helpers/postgres-store.ts';
import { telemetryStoreContract } from '../helpers/telemetry-store-contract.ts';

telemetryStoreContract('embedded PostgreSQL 17', async () => openPostgresStore(await createTestDatabase()));
