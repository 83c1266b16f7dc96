import type { DeviceKind, DeviceKindDefinition } from '../contract/index.ts';
import type { AlinkLogin } from './dialects/alink/signature.ts';
import type { DialectName } from './dialects/types.ts';

/** What the gateway knows of an authenticated device (read at connect time). */
export interface DeviceInfo {
  readonly id: string;
  readonly kind: DeviceKind;
  readonly definition: DeviceKindDefinition;
  readonly communityId: string;
  readonly gridId: string | null;
  readonly buildingId: string | null;
  readonly dialect: DialectName;
  readonly fieldMap: string | null;
  readonly alink: { productKey: string; deviceName: string } | null;
}

/** Looks devices up and checks their credentials; the platform implements it over the database. */
export interface DeviceDirectory {
  /** Canonical login: the device when `secret` is its secret, else undefined. */
  authenticate(deviceId: string, secret: string): Promise<DeviceInfo | undefined>;
  /** ALink login: the device when the signature verifies with its secret, else undefined. */
  authenticateAlink(login: AlinkLogin): Promise<DeviceInfo | undefined>;
  /** The device as it is now (for commands), or undefined. */
  find(deviceId: string): Promise<DeviceInfo | undefined>;
  /** The ALink device of a product key and device name, or undefined. */
  findAlink(productKey: string, deviceName: string): Promise<DeviceInfo | undefined>;
}
