/** Incidents of the selected community, by id: re-fetched (active ones) on every resync, `incident.updated` in between. */
import { computed, shallowReactive, shallowRef } from 'vue';
import type { Incident } from '../../../contract/index.ts';
import { isActive, statusRank } from '../lifecycle.ts';

export function createIncidentStore() {
  const byId = shallowReactive(new Map<string, Incident>());
  const loaded = shallowRef(false);

  return {
    byId,
    loaded,
    all: computed(() => [...byId.values()]),
    active: computed(() => [...byId.values()].filter((i) => isActive(i.status))),
    replace(list: readonly Incident[]) {
      byId.clear();
      for (const incident of list) byId.set(incident.id, incident);
      loaded.value = true;
    },
    /** A live event: the stream is ordered, so its incident is the newest state. */
    upsert(incident: Incident) {
      byId.set(incident.id, incident);
    },
    /** A fetched answer (the incident page) may be older than a live event: keep it unless the known one is further on. */
    upsertIfNotOlder(incident: Incident) {
      const known = byId.get(incident.id);
      if (!known || statusRank(incident.status) >= statusRank(known.status)) byId.set(incident.id, incident);
    },
    clear() {
      byId.clear();
      loaded.value = false;
    },
  };
}

export type IncidentStore = ReturnType<typeof createIncidentStore>;
