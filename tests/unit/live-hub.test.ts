import { describe, expect, it } from 'vitest';
import type { LiveEvent } from '../../contract/index.ts';
import type { Principal } from '../../platform/auth/principal.ts';
import { LiveHub } from '../../platform/live/hub.ts';
import { createLogger } from '../../platform/logger.ts';

const principal = (role: Principal['role'], scope: Partial<Principal> = {}): Principal => ({
  userId: `u-${role}`,
  username: role,
  displayName: role,
  role,
  communityIds: [],
  gridIds: [],
  workerId: null,
  ...scope,
});
const event = { type: 'hello', at: '2026-11-29T08:00:00Z', user: { id: 'x', username: 'x', displayName: 'x', role: 'admin', communityIds: [], workerId: null } } as LiveEvent;

describe('live hub', () => {
  it("delivers an event only to subscribers whose scope covers the event's place", () => {
    const hub = new LiveHub(createLogger('silent'));
    const got: string[] = [];
    const subscribe = (name: string, p: Principal) => hub.subscribe({ principal: p, send: () => got.push(name) });
    subscribe('admin', principal('admin'));
    subscribe('operator-c1', principal('operator', { communityIds: ['c1'] }));
    subscribe('operator-c2', principal('operator', { communityIds: ['c2'] }));
    subscribe('worker-g1', principal('worker', { communityIds: ['c1'], gridIds: ['g1'] }));
    subscribe('worker-g2', principal('worker', { communityIds: ['c1'], gridIds: ['g2'] }));
    hub.publish(event, { communityId: 'c1', gridId: 'g1' });
    expect(got.sort()).toEqual(['admin', 'operator-c1', 'worker-g1']);
  });

  it('drops a subscriber that throws and keeps serving the others', () => {
    const hub = new LiveHub(createLogger('silent'));
    let delivered = 0;
    hub.subscribe({ principal: principal('admin'), send: () => { throw new Error('socket gone'); } });
    hub.subscribe({ principal: principal('admin'), send: () => void delivered++ });
    hub.publish(event, { communityId: 'c1', gridId: null });
    hub.publish(event, { communityId: 'c1', gridId: null });
    expect(delivered).toBe(2);
    expect(hub.size).toBe(1);
  });
});
