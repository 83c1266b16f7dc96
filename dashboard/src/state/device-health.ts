/** One word for a device's health, the worst first: faulty (flapping), offline, silent (overdue), online. */
import type { Device } from '../../../contract/index.ts';

export type DeviceHealth = 'faulty' | 'offline' | 'silent' | 'online';

export function deviceHealth(device: Pick<Device, 'status' | 'faultySince'>): DeviceHealth {
  if (device.faultySince !== null) return 'faulty';
  return device.status;
}
