/**
 * What the care page shows for the community chosen in the header: this month's visits, a month's
 * visit rate and the households (for quiet homes and addresses). Re-read on a community switch, after
 * a visit is recorded, and a quiet moment after care alerts change on the live stream.
 */
import { computed, ref, shallowRef, watch } from 'vue';
import type { Household, VisitDue, VisitRate } from '../../../contract/index.ts';
import { serviceMonth } from '../format/service-time.ts';
import { useLiveRefresh } from '../services/use-live-refresh.ts';
import { useAppState } from '../state/app-state.ts';
import { careSignature, quietHomes } from './inactivity.ts';
import { sortVisits } from './visits.ts';

export function useCare() {
  const { api, communities, alerts } = useAppState();
  const visits = shallowRef<VisitDue[]>([]);
  const households = shallowRef<Household[]>([]);
  const rate = shallowRef<VisitRate | null>(null);
  const month = ref(serviceMonth(Date.now()));
  const loaded = ref(false);
  const error = shallowRef<unknown>(null);
  let generation = 0;
  let rateGeneration = 0;

  async function load() {
    const communityId = communities.selectedId.value;
    if (!communityId) return;
    const mine = ++generation;
    try {
      const [due, homes] = await Promise.all([api.visitsDue({ communityId }), api.households({ communityId })]);
      if (mine !== generation) return;
      visits.value = sortVisits(due);
      households.value = homes;
      loaded.value = true;
      error.value = null;
    } catch (failure) {
      if (mine === generation) error.value = failure;
    }
  }

  async function loadRate() {
    const communityId = communities.selectedId.value;
    if (!communityId || !/^\d{4}-\d{2}$/.test(month.value)) return;
    const mine = ++rateGeneration;
    try {
      const answer = await api.visitRate({ month: month.value, communityId });
      if (mine === rateGeneration) rate.value = answer;
    } catch (failure) {
      if (mine === rateGeneration) error.value = failure;
    }
  }

  watch(
    communities.selectedId,
    () => {
      loaded.value = false;
      void load();
      void loadRate();
    },
    { immediate: true },
  );
  watch(month, () => void loadRate());
  useLiveRefresh(() => careSignature(alerts.all.value), () => Promise.all([load(), loadRate()]));

  return {
    visits,
    households,
    rate,
    month,
    loaded,
    error,
    quiet: computed(() => quietHomes(alerts.all.value, households.value)),
    /** After a visit is recorded: the list and this month's rate change. */
    reload: () => Promise.all([load(), loadRate()]),
  };
}
