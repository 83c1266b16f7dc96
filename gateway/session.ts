import type { DeviceInfo } from './device-info.ts';
import type { Dialect, DialectSession } from './dialects/types.ts';

/** An authenticated connection: the device, where it connects from, and what its dialects need. */
export interface Session {
  device: DeviceInfo;
  address: string | undefined;
  dialect: DialectSession;
  /** The device's own status topic (checked on every publish). */
  statusTopic?: string;
  /** Publish topics already looked up: the dialect that owns each (undefined: none). A device uses a few. */
  owners?: Map<string, Dialect | undefined>;
}

export function dialectSession(device: DeviceInfo): DialectSession {
  return { deviceId: device.id, kind: device.kind, communityId: device.communityId, fieldMap: device.fieldMap, ...(device.alink ? { alink: device.alink } : {}) };
}
