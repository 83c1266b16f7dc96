/**
 * Reads the community summary when the community changes, and again shortly after live events bump
 * the summary's revision: debounced (a burst of events makes one request), yet never postponed by
 * more than `maxWaitMs` while events keep coming. No timer polls.
 */
import { onScopeDispose, watch } from 'vue';
import { useAppState } from '../../state/app-state.ts';

export const SUMMARY_DEBOUNCE_MS = 750;
export const SUMMARY_MAX_WAIT_MS = 3000;

export function useCommunitySummary(debounceMs = SUMMARY_DEBOUNCE_MS, maxWaitMs = SUMMARY_MAX_WAIT_MS) {
  const { api, communities, summary } = useAppState();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let firstBumpAt: number | null = null;
  let generation = 0;

  async function load() {
    clearTimeout(timer);
    firstBumpAt = null;
    const communityId = communities.selectedId.value;
    if (!communityId) return;
    const mine = ++generation;
    try {
      const data = await api.summary(communityId);
      if (mine !== generation) return;
      summary.data.value = data;
      summary.error.value = null;
    } catch (error) {
      if (mine === generation) summary.error.value = error;
    }
  }

  watch(
    communities.selectedId,
    (id) => {
      // Coming back to the control room keeps the last counts on screen while they are re-read.
      if (summary.data.value?.communityId !== id) summary.clear();
      void load();
    },
    { immediate: true },
  );

  watch(summary.revision, () => {
    const now = Date.now();
    firstBumpAt ??= now;
    clearTimeout(timer);
    timer = setTimeout(() => void load(), Math.max(0, Math.min(debounceMs, firstBumpAt + maxWaitMs - now)));
  });

  onScopeDispose(() => clearTimeout(timer));
  return { reload: load };
}
