import { describe, expect, it, vi } from 'vitest';
import type { Alert } from '../../../contract/index.ts';
import { fakeApi, makeAlert } from '../testing/fixtures.ts';
import { createMyAlerts } from './my-alerts.ts';

const ME = 'w1';
const other = [{ workerId: 'w2', name: '李强', position: 'grid_worker' as const }];

function setup(answer: () => Promise<Alert[]> = () => Promise.resolve([])) {
  const myAlerts = vi.fn(answer);
  const mine = createMyAlerts({ api: fakeApi({ myAlerts }), workerId: () => ME });
  return { mine, myAlerts };
}

describe('my alerts', () => {
  it('fetches the active alerts addressed to me and lists red first', async () => {
    const { mine, myAlerts } = setup(() =>
      Promise.resolve([makeAlert({ id: 'blue', level: 'blue' }), makeAlert({ id: 'red', level: 'red' }), makeAlert({ id: 'done', status: 'resolved' })]),
    );
    await mine.resync();
    expect(myAlerts).toHaveBeenCalledWith('active');
    expect(mine.list.value.map((a) => a.id)).toEqual(['red', 'blue']);
  });

  it('adds a raised alert addressed to me, marks it new, and ignores one addressed to someone else', () => {
    const { mine } = setup();
    mine.apply({ type: 'alert.raised', alert: makeAlert({ id: 'a1' }) });
    mine.apply({ type: 'alert.raised', alert: makeAlert({ id: 'a2', assignees: other }) });
    expect(mine.list.value.map((a) => a.id)).toEqual(['a1']);
    expect(mine.store.fresh.has('a1')).toBe(true);
  });

  it('follows updates, drops resolved alerts and alerts handed to someone else', () => {
    const { mine } = setup();
    mine.apply({ type: 'alert.raised', alert: makeAlert({ id: 'a1' }) });
    mine.apply({ type: 'alert.raised', alert: makeAlert({ id: 'a2' }) });
    mine.apply({ type: 'alert.updated', alert: makeAlert({ id: 'a1', status: 'acknowledged' }) });
    expect(mine.store.byId.get('a1')?.status).toBe('acknowledged');
    mine.apply({ type: 'alert.updated', alert: makeAlert({ id: 'a1', status: 'resolved' }) });
    mine.apply({ type: 'alert.updated', alert: makeAlert({ id: 'a2', assignees: other }) });
    expect(mine.list.value).toEqual([]);
    expect(mine.store.byId.has('a2')).toBe(false);
  });

  it('replays events that arrive during a re-fetch on top of its answer', async () => {
    let answer: (list: Alert[]) => void = () => undefined;
    const { mine } = setup(() => new Promise<Alert[]>((resolve) => (answer = resolve)));
    const pending = mine.resync();
    mine.apply({ type: 'alert.updated', alert: makeAlert({ id: 'a1', status: 'on_site' }) });
    answer([makeAlert({ id: 'a1', status: 'acknowledged' })]);
    await pending;
    expect(mine.store.byId.get('a1')?.status).toBe('on_site');
  });

  it('keeps the failure of a re-fetch to show it', async () => {
    const { mine } = setup(() => Promise.reject(new Error('down')));
    await mine.resync();
    expect(mine.error.value).toBeInstanceOf(Error);
  });
});
