/** Platform alerts (the storage outage) for admins and operators: the list on resync, `system.alert` in between. */
import { computed, shallowReactive } from 'vue';
import type { SystemAlert } from '../../../contract/index.ts';

export function createSystemAlertStore() {
  const byId = shallowReactive(new Map<string, SystemAlert>());
  return {
    byId,
    /** Open ones (not cleared), newest first. */
    open: computed(() => [...byId.values()].filter((a) => a.clearedAt === null).sort((a, b) => Date.parse(b.raisedAt) - Date.parse(a.raisedAt))),
    replace(list: readonly SystemAlert[]) {
      byId.clear();
      for (const alert of list) byId.set(alert.id, alert);
    },
    upsert(alert: SystemAlert) {
      byId.set(alert.id, alert);
    },
    clear() {
      byId.clear();
    },
  };
}

export type SystemAlertStore = ReturnType<typeof createSystemAlertStore>;

/** Roles that may read `GET /system/alerts` and receive `system.alert`. */
export function seesSystemAlerts(role: string | null | undefined): boolean {
  return role === 'admin' || role === 'operator';
}
