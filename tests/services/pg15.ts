import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** A fresh database on the PostgreSQL 15 that `npm run test:services` started. */
export async function createTestDatabaseOn(serverUrl = process.env.ANJU_TEST_PG15_URL): Promise<string> {
  if (!serverUrl) throw new Error('ANJU_TEST_PG15_URL is set by `npm run test:services`');
  const name = `anju_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client(serverUrl);
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  return serverUrl.replace(/\/[^/]*$/, `/${name}`);
}
