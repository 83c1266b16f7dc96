/** Maintenance windows: alerts of the devices they cover are recorded but nobody is paged. */
import { z } from 'zod';
import type { Database, Queryable } from '../db/database.ts';
import { isoRequired } from '../db/sql.ts';
import { invalidField } from '../errors.ts';
import { newId } from '../ids.ts';

export const MaintenanceWindowCreate = z.strictObject({
  communityId: z.string().min(1),
  buildingId: z.string().min(1).optional(),
  deviceId: z.string().min(1).optional(),
  startsAt: z.iso.datetime({ offset: true }),
  endsAt: z.iso.datetime({ offset: true }),
  reason: z.string().min(1).max(200),
});
export const MaintenanceWindow = MaintenanceWindowCreate.extend({ id: z.string(), buildingId: z.string().nullable(), deviceId: z.string().nullable(), createdBy: z.string().nullable() });
export type MaintenanceWindow = z.infer<typeof MaintenanceWindow>;

export class MaintenanceStore {
  constructor(private readonly db: Database) {}

  async create(input: z.infer<typeof MaintenanceWindowCreate>, createdBy: string): Promise<MaintenanceWindow> {
    if (Date.parse(input.endsAt) <= Date.parse(input.startsAt)) throw invalidField('endsAt', 'must be after startsAt');
    const { rows } = await this.db.query<{ id: string }>(
      `INSERT INTO maintenance_windows (id, community_id, building_id, device_id, starts_at, ends_at, reason, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
      [newId('mtw'), input.communityId, input.buildingId ?? null, input.deviceId ?? null, input.startsAt, input.endsAt, input.reason, createdBy],
    ).catch((error: unknown) => {
      if ((error as { code?: string }).code === '23503') throw invalidField('communityId', 'no such community, building or device');
      throw error;
    });
    return (await this.list(input.communityId)).find((w) => w.id === rows[0]!.id)!;
  }

  async list(communityId: string): Promise<MaintenanceWindow[]> {
    const { rows } = await this.db.query<{ id: string; community_id: string; building_id: string | null; device_id: string | null; starts_at: Date; ends_at: Date; reason: string; created_by: string | null }>(
      'SELECT * FROM maintenance_windows WHERE community_id = $1 ORDER BY starts_at DESC',
      [communityId],
    );
    return rows.map((r) => ({
      id: r.id,
      communityId: r.community_id,
      buildingId: r.building_id,
      deviceId: r.device_id,
      startsAt: isoRequired(r.starts_at),
      endsAt: isoRequired(r.ends_at),
      reason: r.reason,
      createdBy: r.created_by,
    }));
  }

  /** Whether a window covers the device (directly, through its building, or its whole community) at `at`. */
  async covers(q: Queryable, device: { id: string; communityId: string; buildingId: string | null }, at: number): Promise<boolean> {
    const { rowCount } = await q.query(
      `SELECT 1 FROM maintenance_windows
        WHERE community_id = $1 AND starts_at <= $4 AND ends_at > $4
          AND (device_id = $2 OR (device_id IS NULL AND (building_id = $3 OR building_id IS NULL)))
        LIMIT 1`,
      [device.communityId, device.id, device.buildingId, new Date(at)],
    );
    return (rowCount ?? 0) > 0;
  }
}
