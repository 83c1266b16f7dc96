/** A clock that ticks locally every few seconds, so ages update without asking the server. */
import { onScopeDispose, readonly, ref, type Ref } from 'vue';

export const AGE_TICK_MS = 5000;

export function useNow(intervalMs = AGE_TICK_MS): Readonly<Ref<number>> {
  const now = ref(Date.now());
  const timer = setInterval(() => {
    now.value = Date.now();
  }, intervalMs);
  onScopeDispose(() => clearInterval(timer));
  return readonly(now);
}
