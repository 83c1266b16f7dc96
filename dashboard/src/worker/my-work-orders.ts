/**
 * My kiosk work orders: the open ones whose maintainer I am (`maintainer=me`), oldest first, so the
 * longest-broken kiosk comes first. The section is shown only to a worker who maintains a kiosk or has
 * an open work order; others never see it. No live event carries work orders: re-read on every
 * (re)connect; one I close here leaves the list at once.
 */
import { computed, shallowRef } from 'vue';
import type { KioskWorkOrder } from '../../../contract/index.ts';
import type { ApiClient } from '../api/client.ts';

export interface MyWorkOrdersDeps {
  api: Pick<ApiClient, 'kiosks' | 'workOrders'>;
  workerId: () => string | null;
}

export function createMyWorkOrders(deps: MyWorkOrdersDeps) {
  const list = shallowRef<KioskWorkOrder[]>([]);
  /** Whether any kiosk in my scope names me as its maintainer. */
  const maintainsKiosks = shallowRef(false);
  /** Whether the last read found open work orders of mine: the section stays after I close the last one. */
  const hadOrders = shallowRef(false);
  const loaded = shallowRef(false);
  const error = shallowRef<unknown>(null);
  let generation = 0;

  return {
    list,
    loaded,
    error,
    /**
     * Show the section: I maintain a kiosk or had open work orders when last read. A failed read keeps
     * what was known, so a maintainer sees the error and a worker who maintains nothing sees nothing.
     */
    relevant: computed(() => maintainsKiosks.value || hadOrders.value),
    async resync(): Promise<void> {
      const workerId = deps.workerId();
      if (!workerId) return;
      const mine = ++generation;
      try {
        const [kiosks, orders] = await Promise.all([deps.api.kiosks(), deps.api.workOrders({ maintainer: 'me', status: 'open' })]);
        if (mine !== generation) return;
        maintainsKiosks.value = kiosks.some((k) => k.maintainer?.workerId === workerId);
        hadOrders.value = orders.length > 0;
        list.value = [...orders].sort((a, b) => Date.parse(a.openedAt) - Date.parse(b.openedAt) || a.id.localeCompare(b.id));
        loaded.value = true;
        error.value = null;
      } catch (failure) {
        if (mine === generation) error.value = failure;
      }
    },
    closed(workOrderId: string): void {
      list.value = list.value.filter((o) => o.id !== workOrderId);
    },
    clear(): void {
      generation += 1;
      list.value = [];
      maintainsKiosks.value = false;
      hadOrders.value = false;
      loaded.value = false;
      error.value = null;
    },
  };
}

export type MyWorkOrders = ReturnType<typeof createMyWorkOrders>;
