/**
 * The grid worker's own alerts: those addressed to them (`assignees` holds their worker id), kept live.
 * A full re-fetch on every (re)connect; live events in between. Events that arrive while a re-fetch is
 * in flight are held and replayed on top of its answer, as the control room's sync does.
 */
import { computed, shallowRef } from 'vue';
import type { Alert, LiveEvent } from '../../../contract/index.ts';
import type { ApiClient } from '../api/client.ts';
import { levelRank } from '../levels.ts';
import { isActive } from '../lifecycle.ts';
import { createAlertStore } from '../state/alerts.ts';
import { compareAlerts } from '../state/order.ts';

export function isAssignedTo(alert: Pick<Alert, 'assignees'>, workerId: string): boolean {
  return alert.assignees.some((a) => a.workerId === workerId);
}

export interface MyAlertsDeps {
  api: Pick<ApiClient, 'myAlerts'>;
  workerId: () => string | null;
}

export function createMyAlerts(deps: MyAlertsDeps) {
  const store = createAlertStore();
  const error = shallowRef<unknown>(null);
  let generation = 0;
  let held: LiveEvent[] | null = null;

  function applyNow(event: LiveEvent): void {
    if (event.type !== 'alert.raised' && event.type !== 'alert.updated') return;
    const workerId = deps.workerId();
    const alert = event.alert;
    const before = store.byId.get(alert.id);
    if (!workerId || !isAssignedTo(alert, workerId)) {
      // The live stream carries every alert of my grids; one handed to someone else leaves my list.
      if (before) store.byId.delete(alert.id);
      return;
    }
    store.upsert(alert);
    if (event.type === 'alert.raised' || !before || levelRank(alert.level) > levelRank(before.level)) store.markFresh(alert);
  }

  return {
    store,
    error,
    /** Active alerts addressed to me: red first, then newest. */
    list: computed(() => {
      const workerId = deps.workerId();
      if (!workerId) return [];
      return store.all.value.filter((a) => isActive(a.status) && isAssignedTo(a, workerId)).sort(compareAlerts);
    }),
    apply(event: LiveEvent): void {
      if (held) held.push(event);
      else applyNow(event);
    },
    async resync(): Promise<void> {
      const mine = ++generation;
      held ??= [];
      try {
        const list = await deps.api.myAlerts('active');
        if (mine !== generation) return;
        store.replace(list);
        error.value = null;
      } catch (failure) {
        if (mine !== generation) return;
        error.value = failure;
      }
      const pending = held ?? [];
      held = null;
      for (const event of pending) applyNow(event);
    },
    clear(): void {
      generation += 1;
      held = null;
      store.clear();
    },
  };
}

export type MyAlerts = ReturnType<typeof createMyAlerts>;
