import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { nextTick } from 'vue';
import type { AudioLike } from '../state/siren.ts';
import { FLASH_MS } from '../state/alarm.ts';
import { makeAlert, memoryStorage, mountWith, testState, fakeApi, makeUser } from '../testing/fixtures.ts';
import AlarmMuteToggle from './control-room/AlarmMuteToggle.vue';
import NewAlertAnnouncer from './NewAlertAnnouncer.vue';

/** Counts the beeps scheduled: one oscillator per beep. */
function fakeAudio(state: 'running' | 'suspended' = 'running') {
  const oscillators: { frequency: number }[] = [];
  const param = () => ({ setValueAtTime: vi.fn(), linearRampToValueAtTime: vi.fn() });
  const audio = {
    currentTime: 0,
    state,
    destination: {} as AudioNode,
    resume: vi.fn(() => Promise.resolve()),
    createGain: () => ({ gain: param(), connect: vi.fn() }) as unknown as GainNode,
    createOscillator: () => {
      const oscillator = { type: 'sine', frequency: { setValueAtTime: (hz: number) => oscillators.push({ frequency: hz }) }, connect: vi.fn(), start: vi.fn(), stop: vi.fn() };
      return oscillator as unknown as OscillatorNode;
    },
  } satisfies AudioLike;
  return { audio, oscillators };
}

describe('NewAlertAnnouncer', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('sounds and flashes for a new red alert, but only announces a yellow one', async () => {
    const { audio, oscillators } = fakeAudio();
    const state = testState(fakeApi(), makeUser(), { audio: () => audio });
    const wrapper = mountWith(NewAlertAnnouncer, { state });
    state.sync.apply({ type: 'alert.raised', alert: makeAlert({ id: 'y', level: 'yellow' }) });
    await nextTick();
    expect(oscillators).toHaveLength(0);
    expect(wrapper.find('[data-testid="new-alert-announcer"]').text()).toContain('新的黄色预警');

    state.sync.apply({ type: 'alert.raised', alert: makeAlert({ id: 'r', level: 'red' }) });
    await nextTick();
    expect(oscillators.length).toBeGreaterThan(0);
    expect(wrapper.find('[data-testid="new-alert-announcer-red"]').text()).toContain('新的红色预警：烟感火警');
    expect(state.alarm.flashText.value).toBe('【红色预警】烟感火警');
    vi.advanceTimersByTime(FLASH_MS);
    expect(state.alarm.flashText.value).toBeNull();
  });

  it('stays silent when muted, still flashes, and remembers the choice', async () => {
    const { audio, oscillators } = fakeAudio();
    const storage = memoryStorage();
    const state = testState(fakeApi(), makeUser(), { audio: () => audio, storage });
    const wrapper = mountWith(NewAlertAnnouncer, { state });
    const toggle = mountWith(AlarmMuteToggle, { state });
    const button = toggle.find('[data-testid="alarm-mute"]');
    expect(button.attributes('aria-pressed')).toBe('false');
    await button.trigger('click');
    expect(button.attributes('aria-pressed')).toBe('true');
    expect(storage.getItem('anju.alarm.muted')).toBe('1');

    state.sync.apply({ type: 'alert.raised', alert: makeAlert({ id: 'r', level: 'red' }) });
    await nextTick();
    expect(oscillators).toHaveLength(0);
    expect(state.alarm.flashText.value).not.toBeNull();
    expect(wrapper.find('[data-testid="new-alert-announcer-red"]').text()).not.toBe('');

    // A new page load in the same browser starts muted.
    const again = testState(fakeApi(), makeUser(), { audio: () => audio, storage });
    expect(again.alarm.muted.value).toBe(true);
    await button.trigger('click');
    expect(storage.getItem('anju.alarm.muted')).toBeNull();
  });

  it('offers to enable sound when the browser keeps audio suspended', async () => {
    const { audio } = fakeAudio('suspended');
    const state = testState(fakeApi(), makeUser(), { audio: () => audio });
    mountWith(NewAlertAnnouncer, { state });
    const toggle = mountWith(AlarmMuteToggle, { state });
    state.sync.apply({ type: 'alert.raised', alert: makeAlert({ id: 'r', level: 'red' }) });
    await nextTick();
    expect(audio.resume).toHaveBeenCalled();
    expect(toggle.find('[data-testid="alarm-unblock"]').exists()).toBe(true);
  });
});
