/**
 * One device: read once (`GET /devices/{id}`), then followed through the device store, which
 * `device.status` events keep current. A link into another community switches the dashboard to it.
 */
import { computed, shallowRef, watch } from 'vue';
import type { Device } from '../../../../contract/index.ts';
import { useAppState } from '../../state/app-state.ts';

export function useDevice(id: () => string) {
  const { api, devices, communities } = useAppState();
  const fetched = shallowRef<Device | null>(null);
  const error = shallowRef<unknown>(null);
  let generation = 0;

  watch(
    id,
    async (wanted) => {
      const mine = ++generation;
      error.value = null;
      try {
        const device = await api.device(wanted);
        if (mine !== generation) return;
        fetched.value = device;
        if (device.communityId !== communities.selectedId.value && communities.list.value.some((c) => c.id === device.communityId)) {
          communities.select(device.communityId);
        }
      } catch (failure) {
        if (mine === generation) error.value = failure;
      }
    },
    { immediate: true },
  );

  const device = computed(() => devices.byId.get(id()) ?? (fetched.value?.id === id() ? fetched.value : null));
  return { device, error };
}
