/** Alerts of the selected community, by id. Live events and lists replace whole alerts. */
import { computed, shallowReactive, shallowRef } from 'vue';
import type { Alert } from '../../../contract/index.ts';
import { statusRank } from '../lifecycle.ts';

export const FRESH_MS = 30_000;

export type AlertFilter = 'active' | 'all';

export function createAlertStore() {
  const byId = shallowReactive(new Map<string, Alert>());
  /** Alerts raised (or raised in level) while watching: highlighted for FRESH_MS. */
  const fresh = shallowReactive(new Set<string>());
  /** The latest alert raised live, for the screen-reader announcement. */
  const lastRaised = shallowRef<Alert | null>(null);
  const filter = shallowRef<AlertFilter>('active');
  const loaded = shallowRef(false);
  const timers = new Map<string, ReturnType<typeof setTimeout>>();

  function markFresh(alert: Alert) {
    fresh.add(alert.id);
    lastRaised.value = alert;
    clearTimeout(timers.get(alert.id));
    timers.set(
      alert.id,
      setTimeout(() => {
        fresh.delete(alert.id);
        timers.delete(alert.id);
      }, FRESH_MS),
    );
  }

  return {
    byId,
    fresh,
    lastRaised,
    filter,
    loaded,
    all: computed(() => [...byId.values()]),
    replace(list: readonly Alert[]) {
      byId.clear();
      for (const alert of list) byId.set(alert.id, alert);
      loaded.value = true;
    },
    /** A live event: the stream is ordered, so its alert is the newest state. */
    upsert(alert: Alert) {
      byId.set(alert.id, alert);
    },
    /** An answer to our own request may arrive after a newer live event: keep it only if it moved the status on. */
    upsertIfNewer(alert: Alert) {
      const known = byId.get(alert.id);
      if (!known || statusRank(alert.status) > statusRank(known.status)) byId.set(alert.id, alert);
    },
    markFresh,
    clear() {
      byId.clear();
      fresh.clear();
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
      lastRaised.value = null;
      loaded.value = false;
    },
  };
}

export type AlertStore = ReturnType<typeof createAlertStore>;
