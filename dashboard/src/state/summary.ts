/**
 * The community summary (`GET /communities/{id}/summary`) is counted by the server, so it is re-read
 * rather than patched: the sync bumps `revision` whenever an alert, device or incident event of the
 * selected community arrives, and the screen that shows it re-reads after a quiet moment (debounced).
 */
import { shallowRef } from 'vue';
import type { CommunitySummary } from '../../../contract/index.ts';

export function createSummaryStore() {
  const data = shallowRef<CommunitySummary | null>(null);
  const error = shallowRef<unknown>(null);
  /** Grows with every live event that may change the counts, and with every resync. */
  const revision = shallowRef(0);
  return {
    data,
    error,
    revision,
    bump() {
      revision.value += 1;
    },
    clear() {
      data.value = null;
      error.value = null;
    },
  };
}

export type SummaryStore = ReturnType<typeof createSummaryStore>;
