import { flushPromises } from '@vue/test-utils';
import { describe, expect, it, vi } from 'vitest';
import type { Incident } from '../../../contract/index.ts';
import { fakeApi, makeIncident, makeSystemAlert, makeUser, testState } from '../testing/fixtures.ts';

describe('incidents store sync', () => {
  it('loads the active incidents of the community on resync', async () => {
    const incidents = vi.fn(() => Promise.resolve([makeIncident({ id: 'inc1' }), makeIncident({ id: 'inc2', level: 'yellow' })]));
    const state = testState(fakeApi({ incidents }));
    await state.sync.resync();
    expect(incidents).toHaveBeenCalledWith({ status: 'active', communityId: 'c1', limit: 1000 });
    expect([...state.incidents.byId.keys()]).toEqual(['inc1', 'inc2']);
    expect(state.incidents.loaded.value).toBe(true);
  });

  it('applies incident.updated of the community and ignores other communities', async () => {
    const state = testState();
    await state.sync.resync();
    state.sync.apply({ type: 'incident.updated', incident: makeIncident({ id: 'inc1', escalationStage: 1 }) });
    state.sync.apply({ type: 'incident.updated', incident: makeIncident({ id: 'far', communityId: 'c2' }) });
    expect(state.incidents.byId.get('inc1')?.escalationStage).toBe(1);
    expect(state.incidents.byId.has('far')).toBe(false);
    state.sync.apply({ type: 'incident.updated', incident: makeIncident({ id: 'inc1', status: 'resolved' }) });
    expect(state.incidents.active.value).toEqual([]);
  });

  it('keeps an incident.updated that arrives while the resync is in flight', async () => {
    let answer: (list: Incident[]) => void = () => undefined;
    const incidents = vi.fn(() => new Promise<Incident[]>((resolve) => (answer = resolve)));
    const state = testState(fakeApi({ incidents }));
    const done = state.sync.resync();
    state.sync.apply({ type: 'incident.updated', incident: makeIncident({ id: 'inc1', status: 'acknowledged' }) });
    answer([makeIncident({ id: 'inc1', status: 'open' })]);
    await done;
    expect(state.incidents.byId.get('inc1')?.status).toBe('acknowledged');
  });

  it('resyncs replace what was missed while disconnected', async () => {
    const incidents = vi.fn().mockResolvedValueOnce([makeIncident({ id: 'old' })]).mockResolvedValueOnce([makeIncident({ id: 'new' })]);
    const state = testState(fakeApi({ incidents }));
    await state.sync.resync();
    await state.sync.resync();
    expect([...state.incidents.byId.keys()]).toEqual(['new']);
  });

  it('bumps the summary revision on alert, device and incident events, not on platform alerts', async () => {
    const state = testState();
    await state.sync.resync();
    const before = state.summary.revision.value;
    state.sync.apply({ type: 'incident.updated', incident: makeIncident() });
    state.sync.apply({ type: 'system.alert', alert: makeSystemAlert() });
    expect(state.summary.revision.value).toBe(before + 1);
  });

  it('fetches platform alerts for operators only, and applies system.alert', async () => {
    const systemAlerts = vi.fn(() => Promise.resolve([makeSystemAlert({ id: 's1' })]));
    const operator = testState(fakeApi({ systemAlerts }));
    await operator.sync.resync();
    expect(operator.systemAlerts.open.value.map((a) => a.id)).toEqual(['s1']);
    operator.sync.apply({ type: 'system.alert', alert: makeSystemAlert({ id: 's1', clearedAt: '2025-01-01T08:05:00.000Z' }) });
    expect(operator.systemAlerts.open.value).toEqual([]);

    const worker = testState(fakeApi({ systemAlerts }), makeUser({ role: 'worker' }));
    await worker.sync.resync();
    await flushPromises();
    expect(systemAlerts).toHaveBeenCalledTimes(1);
  });
});
