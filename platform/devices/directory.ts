/**
 * Device authentication for the gateway. The scrypt check costs tens of milliseconds, so a secret once
 * verified is remembered as a SHA-256 digest alongside the stored hash it was checked against;
 * a changed secret (new hash) or a different password goes through scrypt again. ALink logins are
 * HMAC signatures checked against the device's (encrypted) secret.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { deviceKind } from '../../contract/index.ts';
import type { DeviceDirectory, DeviceInfo } from '../../gateway/device-info.ts';
import { verifyAlink, type AlinkLogin } from '../../gateway/dialects/alink/signature.ts';
import { verifySecret } from '../auth/passwords.ts';
import type { DeviceRow, DeviceStore } from '../store/devices.ts';

const digest = (secret: string) => createHash('sha256').update(secret).digest();

export function deviceInfo(row: DeviceRow): DeviceInfo {
  return {
    id: row.id,
    kind: row.kind,
    definition: deviceKind(row.kind),
    communityId: row.community_id,
    gridId: row.grid_id,
    buildingId: row.building_id,
    dialect: row.dialect,
    fieldMap: row.field_map,
    alink: row.product_key && row.device_name ? { productKey: row.product_key, deviceName: row.device_name } : null,
  };
}

export class DatabaseDeviceDirectory implements DeviceDirectory {
  private readonly verified = new Map<string, { hash: string; digest: Buffer }>();

  /** `onKnown` sees every device row read for a login (e.g. to place alarms while the database is down). */
  constructor(
    private readonly devices: DeviceStore,
    private readonly onKnown: (row: DeviceRow) => void = () => undefined,
  ) {}

  private known(row: DeviceRow): DeviceInfo {
    this.onKnown(row);
    return deviceInfo(row);
  }

  async authenticate(deviceId: string, secret: string): Promise<DeviceInfo | undefined> {
    const row = await this.devices.getRow(deviceId);
    if (!row) return undefined;
    const remembered = this.verified.get(deviceId);
    const given = digest(secret);
    let ok = remembered !== undefined && remembered.hash === row.secret_hash && timingSafeEqual(remembered.digest, given);
    if (!ok) {
      ok = await verifySecret(secret, row.secret_hash);
      if (ok) this.verified.set(deviceId, { hash: row.secret_hash, digest: given });
    }
    return ok ? this.known(row) : undefined;
  }

  async authenticateAlink(login: AlinkLogin): Promise<DeviceInfo | undefined> {
    const row = await this.devices.findAlink(login.productKey, login.deviceName);
    const secret = row && this.devices.alinkSecret(row);
    return row && secret && verifyAlink(login, secret) ? this.known(row) : undefined;
  }

  async findAlink(productKey: string, deviceName: string): Promise<DeviceInfo | undefined> {
    const row = await this.devices.findAlink(productKey, deviceName);
    return row && this.known(row);
  }

  async find(deviceId: string): Promise<DeviceInfo | undefined> {
    const row = await this.devices.getRow(deviceId);
    return row && this.known(row);
  }
}
