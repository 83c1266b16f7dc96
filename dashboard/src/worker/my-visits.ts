/**
 * My visits this month: the residents in special difficulty scheduled to me whose monthly visit is due
 * or overdue (overdue first). There is no live event for visits: the list is re-read on every
 * (re)connect, and a visit I record here is applied at once (a counted visit this month takes the
 * resident off the list; "not at home" keeps them on it with the new last visit).
 */
import { computed, shallowRef } from 'vue';
import type { Visit, VisitDue } from '../../../contract/index.ts';
import type { ApiClient } from '../api/client.ts';
import { countsAsVisit, sortVisits } from '../care/visits.ts';
import { serviceMonth } from '../format/service-time.ts';

export interface MyVisitsDeps {
  api: Pick<ApiClient, 'visitsDue'>;
}

export function createMyVisits(deps: MyVisitsDeps) {
  const all = shallowRef<VisitDue[]>([]);
  const loaded = shallowRef(false);
  const error = shallowRef<unknown>(null);
  let generation = 0;

  async function resync(): Promise<void> {
    const mine = ++generation;
    try {
      const list = await deps.api.visitsDue({ assignedTo: 'me' });
      if (mine !== generation) return;
      all.value = list;
      loaded.value = true;
      error.value = null;
    } catch (failure) {
      if (mine === generation) error.value = failure;
    }
  }

  return {
    loaded,
    error,
    /** Due and overdue, overdue first, then by name. */
    list: computed(() => sortVisits(all.value.filter((v) => v.status !== 'done'))),
    resync,
    /** A visit I just recorded: done this month, or still owed with the new last visit. */
    recorded(visit: Visit, now = Date.now()): void {
      const done = countsAsVisit(visit.outcome) && serviceMonth(Date.parse(visit.visitedAt)) === serviceMonth(now);
      if (done) {
        all.value = all.value.map((v) => (v.resident.id === visit.residentId ? { ...v, status: 'done', lastVisit: visit } : v));
        return;
      }
      all.value = all.value.map((v) => (v.resident.id === visit.residentId ? { ...v, lastVisit: visit } : v));
      // A counted visit in an earlier month changes what is owed by the server's calendar: ask it.
      if (countsAsVisit(visit.outcome)) void resync();
    },
    clear(): void {
      generation += 1;
      all.value = [];
      loaded.value = false;
      error.value = null;
    },
  };
}

export type MyVisits = ReturnType<typeof createMyVisits>;
