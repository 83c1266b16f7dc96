import type { DeviceKind, DeviceKindDefinition } from '../contract/index.ts';

/** What the gateway knows of an authenticated device: enough to authorise and validate its messages. */
export interface DeviceInfo {
  readonly id: string;
  readonly kind: DeviceKind;
  readonly definition: DeviceKindDefinition;
  readonly communityId: string;
  readonly gridId: string | null;
  readonly buildingId: string | null;
}

/** Looks devices up and checks their secrets; the platform implements it over the database. */
export interface DeviceDirectory {
  /** The device when `secret` is its secret, else undefined. */
  authenticate(deviceId: string, secret: string): Promise<DeviceInfo | undefined>;
}
