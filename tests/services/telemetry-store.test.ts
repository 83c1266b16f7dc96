/** The same telemetry-store contract on Debian's PostgreSQL 15 and on InfluxDB 1.x. */
import { randomBytes } from 'node:crypto';
import { InfluxTelemetryStore } from '../../platform/telemetry/influx-store.ts';
import { openPostgresStore } from '../helpers/postgres-store.ts';
import { telemetryStoreContract } from '../helpers/telemetry-store-contract.ts';
import { createTestDatabaseOn } from './pg15.ts';

const influxUrl = process.env.ANJU_TEST_INFLUX_URL;
if (!influxUrl) throw new Error('ANJU_TEST_INFLUX_URL is set by `npm run test:services`');

telemetryStoreContract('external PostgreSQL 15', async () => openPostgresStore(await createTestDatabaseOn()));

telemetryStoreContract('InfluxDB 1.x', async () => {
  const store = new InfluxTelemetryStore(`${influxUrl}/anju_${randomBytes(4).toString('hex')}`);
  return { store, close: () => store.close() };
});
