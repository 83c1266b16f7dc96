/** Rejected payloads, kept with their reason for inspection by vendors and operators. */
import type { DeadLetter } from '../../contract/index.ts';
import type { Principal } from '../auth/principal.ts';
import { scopeClause } from '../auth/scope-sql.ts';
import type { Database } from '../db/database.ts';
import { isoRequired, SqlParams } from '../db/sql.ts';

export const DEAD_LETTER_PAYLOAD_LIMIT = 4096;

export interface NewDeadLetter {
  deviceId: string | null;
  topic: string;
  payload: Buffer;
  error: string;
  message: string;
  details: unknown;
  receivedAt: number;
}

export class DeadLetterStore {
  constructor(private readonly db: Database) {}

  async insert(letters: NewDeadLetter[]): Promise<void> {
    if (!letters.length) return;
    await this.db.query(
      `INSERT INTO dead_letters (device_id, topic, payload, error, message, details, received_at)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::jsonb[], $7::timestamptz[])`,
      [
        letters.map((l) => l.deviceId),
        letters.map((l) => l.topic),
        // Invalid UTF-8 becomes U+FFFD and NUL is not storable in text: the reason says what was wrong.
        letters.map((l) => l.payload.subarray(0, DEAD_LETTER_PAYLOAD_LIMIT).toString('utf8').replaceAll('\u0000', '\uFFFD')),
        letters.map((l) => l.error),
        letters.map((l) => l.message),
        letters.map((l) => (l.details === undefined ? null : JSON.stringify(l.details))),
        letters.map((l) => new Date(l.receivedAt)),
      ],
    );
  }

  async list(p: Principal, filter: { deviceId?: string; limit: number }): Promise<DeadLetter[]> {
    const params = new SqlParams();
    const where = [scopeClause(p, params, { community: 'd.community_id', grid: 'd.grid_id', owner: 'd.owner_user_id' })];
    if (filter.deviceId) where.push(`l.device_id = ${params.add(filter.deviceId)}`);
    const { rows } = await this.db.query<{
      id: string;
      device_id: string | null;
      topic: string;
      payload: string;
      error: string;
      message: string;
      details: unknown;
      received_at: Date;
    }>(
      `SELECT l.* FROM dead_letters l LEFT JOIN devices d ON d.id = l.device_id
        WHERE ${where.join(' AND ')}
        ORDER BY l.id DESC LIMIT ${params.add(filter.limit)}`,
      params.values,
    );
    return rows.map((r) => ({
      id: r.id,
      deviceId: r.device_id,
      topic: r.topic,
      payload: r.payload,
      error: r.error,
      message: r.message,
      details: r.details,
      receivedAt: isoRequired(r.received_at),
    }));
  }
}
