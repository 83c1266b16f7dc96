/**
 * The one card form open at a time in a task section of the worker's phone view: which one (`open`),
 * whether its send is in flight (`busy`) and its failure in words (`error`). After a send or a cancel the
 * focus goes back to the card (`refocus`, by the card's key).
 */
import { ref, shallowRef } from 'vue';
import { useI18n } from 'vue-i18n';
import { errorText } from '../api/error-text.ts';

export function useCardForm<O>(refocus: (key: string) => Promise<void> | undefined) {
  const { t, te } = useI18n();
  const open = shallowRef<O | null>(null);
  const busy = ref(false);
  const error = ref<string | null>(null);

  return {
    open,
    busy,
    error,
    start(which: O): void {
      open.value = which;
      error.value = null;
    },
    cancel(key: string): void {
      open.value = null;
      void refocus(key);
    },
    /** Sends; on success closes the form, hands the answer to `done` and refocuses; a failure stays in `error`. */
    async send<A>(key: string, request: () => Promise<A>, done: (answer: A) => void): Promise<void> {
      busy.value = true;
      error.value = null;
      try {
        const answer = await request();
        open.value = null;
        done(answer);
        void refocus(key);
      } catch (failure) {
        error.value = errorText(failure, { t, te });
      } finally {
        busy.value = false;
      }
    },
  };
}
