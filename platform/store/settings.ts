import { randomBytes } from 'node:crypto';
import type { Database } from '../db/database.ts';

/** Returns the stored value of `key`, creating it with `make()` the first time (race-safe). */
export async function settingOrCreate(db: Database, key: string, make: () => string): Promise<string> {
  await db.query('INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING', [key, make()]);
  const { rows } = await db.query<{ value: string }>('SELECT value FROM settings WHERE key = $1', [key]);
  return rows[0]!.value;
}

export function jwtSecret(db: Database): Promise<string> {
  return settingOrCreate(db, 'jwt_secret', () => randomBytes(48).toString('base64url'));
}

export async function deviceSecretKey(db: Database): Promise<Buffer> {
  return Buffer.from(await settingOrCreate(db, 'device_secret_key', () => randomBytes(32).toString('base64')), 'base64');
}
