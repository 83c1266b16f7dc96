/** Which of my grid's devices need a visit, and why: offline, silent, faulty (flapping) or a low battery. */
import type { Device } from '../../../contract/index.ts';
import { isLowBattery } from '../state/devices.ts';

export type AttentionReason = 'offline' | 'faulty' | 'silent' | 'low_battery';

/** Most pressing first; a device is ordered by its most pressing reason. */
export const REASON_ORDER: readonly AttentionReason[] = ['offline', 'faulty', 'silent', 'low_battery'];

export interface DeviceAttention {
  device: Device;
  reasons: AttentionReason[];
}

export function attentionReasons(device: Device): AttentionReason[] {
  const reasons: AttentionReason[] = [];
  if (device.status === 'offline') reasons.push('offline');
  if (device.faultySince !== null) reasons.push('faulty');
  if (device.status === 'silent') reasons.push('silent');
  if (isLowBattery(device)) reasons.push('low_battery');
  return reasons;
}

/** Devices of the given grids (all, when `gridIds` is null) that need attention, most pressing first. */
export function devicesNeedingAttention(devices: Iterable<Device>, gridIds: ReadonlySet<string> | null): DeviceAttention[] {
  const out: DeviceAttention[] = [];
  for (const device of devices) {
    if (gridIds && (device.gridId === null || !gridIds.has(device.gridId))) continue;
    const reasons = attentionReasons(device);
    if (reasons.length) out.push({ device, reasons });
  }
  const rank = (a: DeviceAttention) => REASON_ORDER.indexOf(a.reasons[0]!);
  return out.sort((a, b) => rank(a) - rank(b) || (a.device.name ?? a.device.id).localeCompare(b.device.name ?? b.device.id));
}
