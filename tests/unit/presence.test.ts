import { describe, expect, it } from 'vitest';
import { PresenceTracker } from '../../gateway/presence.ts';
import { ManualClock } from '../helpers/manual-clock.ts';

describe('presence', () => {
  const setup = () => {
    const clock = new ManualClock();
    const changes: string[] = [];
    const tracker = new PresenceTracker(clock, (id, online) => changes.push(`${id}:${online ? 'online' : 'offline'}`), 500);
    return { clock, changes, tracker };
  };

  it('goes online on the first connection and offline after the last one closes', () => {
    const { clock, changes, tracker } = setup();
    const a = {};
    tracker.connected('d1', a);
    expect(changes).toEqual(['d1:online']);
    tracker.disconnected('d1', a);
    expect(tracker.isOnline('d1')).toBe(true);
    clock.advance(500);
    expect(changes).toEqual(['d1:online', 'd1:offline']);
    expect(tracker.isOnline('d1')).toBe(false);
  });

  it('does not report offline when the device takes over its own session within the grace period', () => {
    const { clock, changes, tracker } = setup();
    const first = {};
    const second = {};
    tracker.connected('d1', first);
    tracker.disconnected('d1', first);
    clock.advance(100);
    tracker.connected('d1', second);
    clock.advance(10_000);
    expect(changes).toEqual(['d1:online']);
  });

  it('stays online while a second connection of the same device remains', () => {
    const { clock, changes, tracker } = setup();
    const a = {};
    const b = {};
    tracker.connected('d1', a);
    tracker.connected('d1', b);
    tracker.disconnected('d1', a);
    clock.advance(1000);
    expect(changes).toEqual(['d1:online']);
    expect(tracker.onlineCount()).toBe(1);
  });
});
