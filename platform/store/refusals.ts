/** The audit of everything the gateway refused: device, address, reason and time. */
import type { Database } from '../db/database.ts';
import { isoRequired } from '../db/sql.ts';

export interface Refusal {
  at: number;
  deviceId: string | null;
  address: string | null;
  reason: string;
  detail: string | null;
}

export interface RefusalRecord {
  at: string;
  deviceId: string | null;
  address: string | null;
  reason: string;
  detail: string | null;
}

export class RefusalStore {
  constructor(private readonly db: Database) {}

  async insert(refusals: Refusal[]): Promise<void> {
    if (!refusals.length) return;
    await this.db.query(
      'INSERT INTO gateway_refusals (at, device_id, address, reason, detail) SELECT * FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[], $5::text[])',
      [refusals.map((r) => new Date(r.at)), refusals.map((r) => r.deviceId), refusals.map((r) => r.address), refusals.map((r) => r.reason), refusals.map((r) => r.detail)],
    );
  }

  async list(filter: { deviceId?: string; reason?: string; limit: number }): Promise<RefusalRecord[]> {
    const { rows } = await this.db.query<{ at: Date; device_id: string | null; address: string | null; reason: string; detail: string | null }>(
      `SELECT at, device_id, address, reason, detail FROM gateway_refusals
        WHERE ($1::text IS NULL OR device_id = $1) AND ($2::text IS NULL OR reason = $2)
        ORDER BY id DESC LIMIT $3`,
      [filter.deviceId ?? null, filter.reason ?? null, filter.limit],
    );
    return rows.map((r) => ({ at: isoRequired(r.at), deviceId: r.device_id, address: r.address, reason: r.reason, detail: r.detail }));
  }
}
