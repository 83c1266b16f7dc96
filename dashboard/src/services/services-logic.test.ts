import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { effectScope, nextTick, ref } from 'vue';
import { targetState } from './target.ts';
import { useLiveRefresh } from './use-live-refresh.ts';

describe('targetState', () => {
  it('says met, not met, no data or not applicable', () => {
    expect(targetState(true, 100)).toBe('met');
    expect(targetState(false, 7)).toBe('not_met');
    expect(targetState(null, null)).toBe('no_data');
    expect(targetState(undefined)).toBe('not_applicable');
  });
});

describe('useLiveRefresh', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('re-reads once after a burst of changes, never on a timer by itself', async () => {
    const source = ref('a');
    const load = vi.fn();
    const scope = effectScope();
    scope.run(() => useLiveRefresh(() => source.value, load, 750, 3000));
    vi.advanceTimersByTime(60_000);
    expect(load).not.toHaveBeenCalled();
    for (const value of ['b', 'c', 'd']) {
      source.value = value;
      await nextTick();
      vi.advanceTimersByTime(300);
    }
    expect(load).not.toHaveBeenCalled();
    vi.advanceTimersByTime(500);
    expect(load).toHaveBeenCalledTimes(1);
    scope.stop();
  });

  it('does not let steady changes postpone the re-read for ever', async () => {
    const source = ref(0);
    const load = vi.fn();
    const scope = effectScope();
    scope.run(() => useLiveRefresh(() => String(source.value), load, 750, 3000));
    for (let i = 1; i <= 8; i++) {
      source.value = i;
      await nextTick();
      vi.advanceTimersByTime(500);
    }
    expect(load).toHaveBeenCalledTimes(1);
    scope.stop();
  });
});
