/**
 * A list kept live by a full re-read on every (re)connect plus live events in between. A re-read is
 * numbered: an answer that comes after a newer re-read (or a `clear`) is dropped. Events that arrive while
 * a re-read is in flight are held and replayed on top of its answer. `error` is the last re-read's failure.
 */
import { shallowRef } from 'vue';

export function createHeldResync<E>(applyNow: (event: E) => void) {
  const error = shallowRef<unknown>(null);
  let generation = 0;
  let held: E[] | null = null;

  return {
    error,
    /** Applied at once, or held while a re-read is in flight. */
    apply(event: E): void {
      if (held) held.push(event);
      else applyNow(event);
    },
    /** Reads, hands the answer to `accept` unless a newer re-read or a `clear` came since, then replays what was held. */
    async resync<A>(read: () => Promise<A>, accept: (answer: A) => void): Promise<void> {
      const mine = ++generation;
      held ??= [];
      try {
        const answer = await read();
        if (mine !== generation) return;
        accept(answer);
        error.value = null;
      } catch (failure) {
        if (mine !== generation) return;
        error.value = failure;
      }
      const pending = held ?? [];
      held = null;
      for (const event of pending) applyNow(event);
    },
    /** Drops what is in flight and what is held (the error stays for the caller to clear). */
    clear(): void {
      generation += 1;
      held = null;
    },
  };
}
