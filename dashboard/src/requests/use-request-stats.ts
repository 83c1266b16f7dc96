/** Request statistics for a grouping and a period of local days (default the last 30), re-read when either changes or after a reconnect. */
import { ref, shallowRef, watch } from 'vue';
import type { RequestStats } from '../../../contract/index.ts';
import { serviceDate } from '../format/service-time.ts';
import { useAppState } from '../state/app-state.ts';
import { statsQuery, type StatsGrouping } from './stats.ts';

const DAY_MS = 86_400_000;

export function useRequestStats() {
  const { api, communities, requests: feed } = useAppState();
  const grouping = ref<StatsGrouping>('grid');
  const toDay = ref(serviceDate(Date.now()));
  const fromDay = ref(serviceDate(Date.now() - 29 * DAY_MS));
  const stats = shallowRef<RequestStats | null>(null);
  const error = shallowRef<unknown>(null);
  const rangeInvalid = ref(false);
  let generation = 0;

  async function load() {
    const communityId = communities.selectedId.value;
    if (!communityId || !fromDay.value || !toDay.value) return;
    rangeInvalid.value = fromDay.value > toDay.value;
    if (rangeInvalid.value) return;
    const mine = ++generation;
    try {
      const answer = await api.requestStats(statsQuery(grouping.value, communityId, fromDay.value, toDay.value));
      if (mine !== generation) return;
      stats.value = answer;
      error.value = null;
    } catch (failure) {
      if (mine === generation) error.value = failure;
    }
  }

  watch([communities.selectedId, grouping, fromDay, toDay, feed.resyncs], () => void load(), { immediate: true });
  return { grouping, fromDay, toDay, stats, error, rangeInvalid, reload: load };
}
