/**
 * One request with its history and notifications, re-read when the live stream says it moved (and after
 * a reconnect); and the community's workers, for reassigning and for knowing a grid leader's rights.
 */
import { computed, ref, shallowRef, watch } from 'vue';
import type { RequestDetail, ServiceRequest, Worker } from '../../../contract/index.ts';
import { useAppState } from '../state/app-state.ts';
import { useRequestFeed } from '../state/request-feed.ts';

export function useRequest(requestId: () => string) {
  const { api, session, requests: feed } = useAppState();
  const detail = shallowRef<RequestDetail | null>(null);
  const workers = shallowRef<Worker[]>([]);
  const error = shallowRef<unknown>(null);
  const loading = ref(true);
  let generation = 0;

  async function load() {
    const mine = ++generation;
    try {
      const answer = await api.request(requestId());
      if (mine !== generation) return;
      detail.value = answer;
      error.value = null;
      if (workers.value[0]?.communityId !== answer.place.communityId) {
        workers.value = await api.workers(answer.place.communityId).catch(() => []);
      }
    } catch (failure) {
      if (mine === generation) error.value = failure;
    } finally {
      if (mine === generation) loading.value = false;
    }
  }

  watch([requestId, feed.resyncs], () => void load(), { immediate: true });
  useRequestFeed(feed, (request) => {
    if (request.id === requestId()) void load();
  });

  return {
    detail,
    workers,
    error,
    loading,
    /** My worker record, when I am a worker of the request's community. */
    me: computed(() => workers.value.find((w) => w.id === session.user.value?.workerId) ?? null),
    /** A step's answer: shown at once, then the history is re-read. */
    applied(request: ServiceRequest) {
      if (detail.value) detail.value = { ...detail.value, ...request };
      void load();
    },
    reload: load,
  };
}
