/**
 * Re-reads a page a quiet moment after something it shows may have changed on the live stream: when
 * `signature` (made from the live stores) changes, `load` runs once after `debounceMs`, never postponed
 * by more than `maxWaitMs` while changes keep coming. No timer polls.
 */
import { onScopeDispose, watch } from 'vue';

export const LIVE_REFRESH_DEBOUNCE_MS = 750;
export const LIVE_REFRESH_MAX_WAIT_MS = 3000;

export function useLiveRefresh(signature: () => string, load: () => unknown, debounceMs = LIVE_REFRESH_DEBOUNCE_MS, maxWaitMs = LIVE_REFRESH_MAX_WAIT_MS) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let firstAt: number | null = null;

  function run() {
    firstAt = null;
    void load();
  }

  watch(signature, (now, before) => {
    if (now === before) return;
    const at = Date.now();
    firstAt ??= at;
    clearTimeout(timer);
    timer = setTimeout(run, Math.max(0, Math.min(debounceMs, firstAt + maxWaitMs - at)));
  });

  onScopeDispose(() => clearTimeout(timer));
}
