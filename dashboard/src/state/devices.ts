/** Devices of the selected community, by id; `device.status` events replace whole devices. */
import { computed, shallowReactive, shallowRef } from 'vue';
import type { Device } from '../../../contract/index.ts';

export const LOW_BATTERY = 20;

export function isLowBattery(device: Pick<Device, 'battery'>): boolean {
  return device.battery !== null && device.battery < LOW_BATTERY;
}

export function createDeviceStore() {
  const byId = shallowReactive(new Map<string, Device>());
  const loaded = shallowRef(false);
  return {
    byId,
    loaded,
    all: computed(() => [...byId.values()]),
    replace(list: readonly Device[]) {
      byId.clear();
      for (const device of list) byId.set(device.id, device);
      loaded.value = true;
    },
    upsert(device: Device) {
      byId.set(device.id, device);
    },
    clear() {
      byId.clear();
      loaded.value = false;
    },
  };
}

export type DeviceStore = ReturnType<typeof createDeviceStore>;
