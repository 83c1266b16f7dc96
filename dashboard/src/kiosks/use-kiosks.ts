/**
 * What the kiosk page shows for the community chosen in the header and a local day (default yesterday):
 * availability, services and their ratings, open work orders, and coverage. Re-read on a change of
 * either, and a quiet moment after kiosk alerts or presence change on the live stream.
 */
import { ref, shallowRef, watch } from 'vue';
import type { Kiosk, KioskAvailabilityAnswer, KioskCoverage, KioskServiceStatsAnswer, KioskWorkOrder } from '../../../contract/index.ts';
import { serviceYesterday } from '../format/service-time.ts';
import { useLiveRefresh } from '../services/use-live-refresh.ts';
import { useAppState } from '../state/app-state.ts';
import { kioskSignature } from './availability.ts';

export function useKiosks() {
  const { api, communities, alerts, devices } = useAppState();
  const day = ref(serviceYesterday(Date.now()));
  const availability = shallowRef<KioskAvailabilityAnswer | null>(null);
  const stats = shallowRef<KioskServiceStatsAnswer | null>(null);
  const kiosks = shallowRef<Kiosk[]>([]);
  const workOrders = shallowRef<KioskWorkOrder[]>([]);
  const coverage = shallowRef<KioskCoverage | null>(null);
  const error = shallowRef<unknown>(null);
  const loaded = ref(false);
  let generation = 0;

  async function load() {
    const communityId = communities.selectedId.value;
    if (!communityId || !/^\d{4}-\d{2}-\d{2}$/.test(day.value)) return;
    const mine = ++generation;
    const date = day.value;
    try {
      const [a, s, k, w, c] = await Promise.all([
        api.kioskAvailability({ date, communityId }),
        api.kioskServiceStats({ date, communityId, by: 'kiosk' }),
        api.kiosks(communityId),
        api.workOrders({ status: 'open', communityId }),
        api.kioskCoverage(),
      ]);
      if (mine !== generation) return;
      availability.value = a;
      stats.value = s;
      kiosks.value = k;
      workOrders.value = w;
      coverage.value = c;
      loaded.value = true;
      error.value = null;
    } catch (failure) {
      if (mine === generation) error.value = failure;
    }
  }

  watch(communities.selectedId, () => {
    loaded.value = false;
  });
  watch([communities.selectedId, day], () => void load(), { immediate: true });
  useLiveRefresh(() => kioskSignature(alerts.all.value, devices.all.value), load);

  return { day, availability, stats, kiosks, workOrders, coverage, error, loaded, reload: load };
}
