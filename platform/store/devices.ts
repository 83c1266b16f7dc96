/** The device registry: provisioning, placement, and the durable part of each device's state. */
import { deviceKind, type Device, type DeviceCreate, type DeviceKind, type DeviceLocation, type DevicePatch, type Dialect } from '../../contract/index.ts';
import { findFieldMap } from '../../gateway/dialects/alink/field-maps/index.ts';
import type { SecretBox } from '../auth/secret-box.ts';
import { DEVICE_SECRET_COST, hashSecret, newDeviceSecret } from '../auth/passwords.ts';
import type { Principal } from '../auth/principal.ts';
import { scopeClause } from '../auth/scope-sql.ts';
import type { Database, Queryable } from '../db/database.ts';
import { iso, isoRequired, SqlParams } from '../db/sql.ts';
import { ApiError, invalidField, sqlState, UNIQUE_VIOLATION } from '../errors.ts';
import { newId } from '../ids.ts';
import type { RegistryStore } from './registry.ts';

export interface DeviceRow {
  id: string;
  kind: DeviceKind;
  community_id: string;
  grid_id: string | null;
  building_id: string | null;
  location: DeviceLocation | null;
  name: string | null;
  secret_hash: string;
  owner_user_id: string | null;
  online: boolean;
  last_seen: Date | null;
  battery: number | null;
  dialect: Dialect;
  product_key: string | null;
  device_name: string | null;
  secret_enc: string | null;
  field_map: string | null;
  test_mode: boolean;
  faulty_since: Date | null;
  rule_params: Record<string, { enabled?: boolean; periodS?: number }>;
  created_at: Date;
}

export function toDevice(r: DeviceRow): Device {
  return {
    id: r.id,
    kind: r.kind,
    communityId: r.community_id,
    gridId: r.grid_id,
    name: r.name,
    location: r.location,
    online: r.online,
    status: r.online ? 'online' : 'offline',
    lastSeen: iso(r.last_seen),
    battery: r.battery,
    dialect: r.dialect,
    productKey: r.product_key,
    deviceName: r.device_name,
    fieldMap: r.field_map,
    testMode: r.test_mode,
    faultySince: iso(r.faulty_since),
    ruleParams: r.rule_params,
    createdAt: isoRequired(r.created_at),
  };
}

export interface DeviceFilter {
  communityId?: string;
  gridId?: string;
  kind?: string;
}

export interface DeviceStateUpdate {
  id: string;
  lastSeen: number;
  battery: number | null;
}

export class DeviceStore {
  constructor(
    private readonly db: Database,
    private readonly registry: RegistryStore,
    private readonly secrets: SecretBox,
  ) {}

  /** Checks that grid and building belong to the community; a building implies its grid. */
  private async placement(communityId: string, gridId: string | null | undefined, location: DeviceLocation | null | undefined) {
    let resolvedGrid = gridId ?? null;
    if (location) {
      const building = await this.registry.getBuilding(location.buildingId);
      if (!building) throw invalidField('location.buildingId', 'no such building');
      if (building.communityId !== communityId) throw invalidField('location.buildingId', "the building belongs to another community than the device's");
      if (resolvedGrid && resolvedGrid !== building.gridId) throw invalidField('gridId', 'differs from the grid of the building in location');
      resolvedGrid = building.gridId;
    }
    if (resolvedGrid) {
      const grid = await this.registry.getGrid(resolvedGrid);
      if (!grid) throw invalidField('gridId', 'no such grid');
      if (grid.communityId !== communityId) throw invalidField('gridId', "the grid belongs to another community than the device's");
    }
    return { gridId: resolvedGrid, buildingId: location?.buildingId ?? null };
  }

  async provision(input: DeviceCreate, ownerUserId: string): Promise<{ device: Device; secret: string }> {
    deviceKind(input.kind);
    if (!(await this.registry.getCommunity(input.communityId))) throw invalidField('communityId', 'no such community');
    const { gridId, buildingId } = await this.placement(input.communityId, input.gridId, input.location);
    const dialect: Dialect = input.productKey ? 'alink' : (input.dialect ?? 'anju');
    if (input.fieldMap !== undefined) {
      const map = findFieldMap(input.fieldMap);
      if (!map) throw invalidField('fieldMap', 'no such field map');
      if (map.kind !== input.kind) throw invalidField('fieldMap', `the field map is for ${map.kind}, not ${input.kind}`);
      if (dialect !== 'alink') throw invalidField('fieldMap', 'field maps apply to ALink devices');
    }
    const secret = newDeviceSecret();
    const secretHash = await hashSecret(secret, DEVICE_SECRET_COST);
    try {
      const { rows } = await this.db.query<DeviceRow>(
        `INSERT INTO devices (id, kind, community_id, grid_id, building_id, location, name, secret_hash, owner_user_id, dialect, product_key, device_name, secret_enc, field_map)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING *`,
        [
          input.id ?? newId('dev'),
          input.kind,
          input.communityId,
          gridId,
          buildingId,
          input.location ? JSON.stringify(input.location) : null,
          input.name ?? null,
          secretHash,
          ownerUserId,
          dialect,
          input.productKey ?? null,
          input.deviceName ?? null,
          dialect === 'alink' ? this.secrets.seal(secret) : null,
          input.fieldMap ?? null,
        ],
      );
      return { device: toDevice(rows[0]!), secret };
    } catch (error) {
      if (sqlState(error) === UNIQUE_VIOLATION) {
        const alink = String((error as { constraint?: string }).constraint).includes('alink');
        throw new ApiError('already_exists', [alink ? { path: 'deviceName', message: 'this productKey already has a device of this name' } : { path: 'id', message: 'a device with this id exists' }]);
      }
      throw error;
    }
  }

  async findAlink(productKey: string, deviceName: string): Promise<DeviceRow | undefined> {
    const { rows } = await this.db.query<DeviceRow>('SELECT * FROM devices WHERE product_key = $1 AND device_name = $2', [productKey, deviceName]);
    return rows[0];
  }

  /** The plain secret of an ALink device (it signs logins with it). */
  alinkSecret(row: DeviceRow): string | undefined {
    return row.secret_enc ? this.secrets.open(row.secret_enc) : undefined;
  }

  async getRow(id: string): Promise<DeviceRow | undefined> {
    const { rows } = await this.db.query<DeviceRow>('SELECT * FROM devices WHERE id = $1', [id]);
    return rows[0];
  }

  async list(p: Principal, filter: DeviceFilter): Promise<DeviceRow[]> {
    const params = new SqlParams();
    const where = [scopeClause(p, params, { community: 'community_id', grid: 'grid_id', owner: 'owner_user_id' })];
    if (filter.communityId) where.push(`community_id = ${params.add(filter.communityId)}`);
    if (filter.gridId) where.push(`grid_id = ${params.add(filter.gridId)}`);
    if (filter.kind) where.push(`kind = ${params.add(filter.kind)}`);
    const { rows } = await this.db.query<DeviceRow>(`SELECT * FROM devices WHERE ${where.join(' AND ')} ORDER BY community_id, id LIMIT 5000`, params.values);
    return rows;
  }

  async patch(row: DeviceRow, patch: DevicePatch): Promise<DeviceRow> {
    const location = patch.location === undefined ? row.location : patch.location;
    const requestedGrid = patch.gridId === undefined ? (patch.location === undefined ? row.grid_id : null) : patch.gridId;
    const { gridId, buildingId } = await this.placement(row.community_id, requestedGrid, location);
    const name = patch.name === undefined ? row.name : patch.name;
    const { rows } = await this.db.query<DeviceRow>(
      'UPDATE devices SET grid_id = $2, building_id = $3, location = $4, name = $5, test_mode = $6, rule_params = $7 WHERE id = $1 RETURNING *',
      [row.id, gridId, buildingId, location ? JSON.stringify(location) : null, name, patch.testMode ?? row.test_mode, JSON.stringify(patch.ruleParams ?? row.rule_params)],
    );
    return rows[0]!;
  }

  async setFaulty(id: string, faulty: boolean, at: number, q: Queryable = this.db): Promise<void> {
    await q.query('UPDATE devices SET faulty_since = CASE WHEN $2 THEN COALESCE(faulty_since, $3) ELSE NULL END WHERE id = $1', [id, faulty, new Date(at)]);
  }

  /** The latest stored value of a metric (rule timers use it after a restart). */
  async latestValue(id: string, metric: string): Promise<number | undefined> {
    const { rows } = await this.db.query<{ value: number }>('SELECT value FROM readings WHERE device_id = $1 AND metric = $2 ORDER BY ts DESC LIMIT 1', [id, metric]);
    return rows[0]?.value;
  }

  async setOnline(id: string, online: boolean, at: number): Promise<void> {
    await this.db.query('UPDATE devices SET online = $2, last_seen = GREATEST(last_seen, $3) WHERE id = $1', [id, online, new Date(at)]);
  }

  /** Writes the latest lastSeen and battery of many devices in one statement. */
  async writeStates(updates: DeviceStateUpdate[]): Promise<void> {
    if (!updates.length) return;
    await this.db.query(
      `UPDATE devices d SET last_seen = GREATEST(d.last_seen, u.last_seen), battery = COALESCE(u.battery, d.battery)
         FROM unnest($1::text[], $2::timestamptz[], $3::float8[]) AS u(id, last_seen, battery)
        WHERE d.id = u.id`,
      [updates.map((u) => u.id), updates.map((u) => new Date(u.lastSeen)), updates.map((u) => u.battery)],
    );
  }

  /** After a restart nobody is connected yet: every device starts offline. */
  async markAllOffline(): Promise<void> {
    await this.db.query('UPDATE devices SET online = false WHERE online');
  }

  async lastActivity(): Promise<{ id: string; kind: DeviceKind; lastSeen: number | null; createdAt: number; ruleParams: DeviceRow['rule_params']; faulty: boolean }[]> {
    const { rows } = await this.db.query<Pick<DeviceRow, 'id' | 'kind' | 'last_seen' | 'created_at' | 'rule_params' | 'faulty_since'>>(
      'SELECT id, kind, last_seen, created_at, rule_params, faulty_since FROM devices',
    );
    return rows.map((r) => ({ id: r.id, kind: r.kind, lastSeen: r.last_seen?.getTime() ?? null, createdAt: r.created_at.getTime(), ruleParams: r.rule_params, faulty: r.faulty_since !== null }));
  }
}
