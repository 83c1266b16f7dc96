/**
 * The requests page's two lists for the community chosen in the header: those past their deadline
 * without a response (longest waiting first) and all requests by the chosen filters (newest first).
 * Live `request.updated` events are merged into both; a resync (reconnect) re-reads them. No polling.
 */
import { reactive, ref, shallowRef, watch } from 'vue';
import type { RequestCategory, RequestStatus, ServiceRequest } from '../../../contract/index.ts';
import { useAppState } from '../state/app-state.ts';
import { useRequestFeed } from '../state/request-feed.ts';
import { byDeadline, byNewest, mergeRequest, type RequestFilter } from './list.ts';

export interface ListFilters {
  status: RequestStatus | 'active' | '';
  category: RequestCategory | '';
  gridId: string;
}

export function useRequestLists() {
  const { api, communities, requests: feed } = useAppState();
  const filters = reactive<ListFilters>({ status: 'active', category: '', gridId: '' });
  const overdue = shallowRef<ServiceRequest[]>([]);
  const list = shallowRef<ServiceRequest[]>([]);
  const loaded = ref(false);
  const error = shallowRef<unknown>(null);
  let generation = 0;

  const listFilter = (): RequestFilter => ({
    communityId: communities.selectedId.value ?? undefined,
    status: filters.status || undefined,
    category: filters.category || undefined,
    gridId: filters.gridId || undefined,
  });

  async function load() {
    const communityId = communities.selectedId.value;
    if (!communityId) return;
    const mine = ++generation;
    const f = listFilter();
    try {
      const [late, all] = await Promise.all([
        api.requests({ overdue: true, communityId }),
        api.requests({ communityId, status: f.status, category: f.category, gridId: f.gridId }),
      ]);
      if (mine !== generation) return;
      overdue.value = late;
      list.value = all;
      loaded.value = true;
      error.value = null;
    } catch (failure) {
      if (mine === generation) error.value = failure;
    }
  }

  watch(communities.selectedId, () => {
    loaded.value = false;
    filters.gridId = '';
  });
  watch([communities.selectedId, () => ({ ...filters }), feed.resyncs], () => void load(), { immediate: true, deep: true });
  useRequestFeed(feed, (request) => {
    const now = Date.now();
    overdue.value = mergeRequest(overdue.value, request, { communityId: communities.selectedId.value ?? undefined, overdue: true }, byDeadline, now);
    list.value = mergeRequest(list.value, request, listFilter(), byNewest, now);
  });

  return { filters, overdue, list, loaded, error, reload: load };
}
