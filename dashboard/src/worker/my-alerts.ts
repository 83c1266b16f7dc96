/**
 * The grid worker's own alerts: those addressed to them (`assignees` holds their worker id), kept live.
 * A full re-fetch on every (re)connect; live events in between. Events that arrive while a re-fetch is
 * in flight are held and replayed on top of its answer, as the control room's sync does.
 */
import { computed } from 'vue';
import type { Alert, LiveEvent } from '../../../contract/index.ts';
import type { ApiClient } from '../api/client.ts';
import { levelRank } from '../levels.ts';
import { isActive } from '../lifecycle.ts';
import { createAlertStore } from '../state/alerts.ts';
import { compareAlerts } from '../state/order.ts';
import { createHeldResync } from './held-resync.ts';

export function isAssignedTo(alert: Pick<Alert, 'assignees'>, workerId: string): boolean {
  return alert.assignees.some((a) => a.workerId === workerId);
}

export interface MyAlertsDeps {
  api: Pick<ApiClient, 'myAlerts'>;
  workerId: () => string | null;
}

export function createMyAlerts(deps: MyAlertsDeps) {
  const store = createAlertStore();

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

  const sync = createHeldResync(applyNow);

  return {
    store,
    error: sync.error,
    /** Active alerts addressed to me: red first, then newest. */
    list: computed(() => {
      const workerId = deps.workerId();
      if (!workerId) return [];
      return store.all.value.filter((a) => isActive(a.status) && isAssignedTo(a, workerId)).sort(compareAlerts);
    }),
    apply: sync.apply,
    async resync(): Promise<void> {
      await sync.resync(
        () => deps.api.myAlerts('active'),
        (list) => store.replace(list),
      );
    },
    clear(): void {
      sync.clear();
      store.clear();
    },
  };
}

export type MyAlerts = ReturnType<typeof createMyAlerts>;
