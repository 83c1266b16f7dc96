/**
 * My residents' requests (接诉即办): the open ones assigned to me, overdue first, then the nearest
 * first-response deadline. Re-read on every (re)connect; `request.updated` events in between join, move
 * or leave the list by the same filter (one handed to someone else, or closed, leaves it). Events that
 * arrive while a re-read is in flight are held and replayed on top of its answer.
 */
import { shallowRef } from 'vue';
import type { LiveEvent, ServiceRequest } from '../../../contract/index.ts';
import type { ApiClient } from '../api/client.ts';
import { byUrgency, mergeRequest, type RequestFilter } from '../requests/list.ts';
import { createHeldResync } from './held-resync.ts';

export interface MyRequestsDeps {
  api: Pick<ApiClient, 'requests'>;
  workerId: () => string | null;
}

export function createMyRequests(deps: MyRequestsDeps) {
  const list = shallowRef<ServiceRequest[]>([]);
  const loaded = shallowRef(false);

  const filter = (): RequestFilter | null => {
    const workerId = deps.workerId();
    return workerId ? { assignee: workerId, status: 'active' } : null;
  };

  function merge(request: ServiceRequest): void {
    const f = filter();
    if (!f) return;
    const now = Date.now();
    list.value = mergeRequest(list.value, request, f, byUrgency(now), now);
  }

  const sync = createHeldResync(merge);

  return {
    list,
    loaded,
    error: sync.error,
    apply(event: LiveEvent): void {
      if (event.type === 'request.updated') sync.apply(event.request);
    },
    /** The answer of a step I took: applied at once, without waiting for the live echo. */
    update(request: ServiceRequest): void {
      merge(request);
    },
    async resync(): Promise<void> {
      if (!deps.workerId()) return;
      await sync.resync(
        () => deps.api.requests({ assignedTo: 'me', status: 'active' }),
        (answer) => {
          list.value = [...answer].sort(byUrgency(Date.now()));
          loaded.value = true;
        },
      );
    },
    clear(): void {
      sync.clear();
      list.value = [];
      loaded.value = false;
      sync.error.value = null;
    },
  };
}

export type MyRequests = ReturnType<typeof createMyRequests>;
