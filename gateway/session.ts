import type { DeviceInfo } from './device-info.ts';
import type { DialectSession } from './dialects/types.ts';

/** An authenticated connection: the device, where it connects from, and what its dialects need. */
export interface Session {
  device: DeviceInfo;
  address: string | undefined;
  dialect: DialectSession;
}

export function dialectSession(device: DeviceInfo): DialectSession {
  return { deviceId: device.id, kind: device.kind, communityId: device.communityId, fieldMap: device.fieldMap, ...(device.alink ? { alink: device.alink } : {}) };
}
