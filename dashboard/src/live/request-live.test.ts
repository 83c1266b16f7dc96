import { describe, expect, it, vi } from 'vitest';
import type { ServiceRequest } from '../../../contract/index.ts';
import { fakeApi, testState } from '../testing/fixtures.ts';
import { makeRequest } from '../testing/service-fixtures.ts';
import { parseLiveEvent } from './parse.ts';

describe('request.updated on the live stream', () => {
  it('is read from a frame, and a frame without a request is ignored', () => {
    const request = makeRequest();
    expect(parseLiveEvent(JSON.stringify({ type: 'request.updated', request }))).toEqual({ type: 'request.updated', request });
    expect(parseLiveEvent(JSON.stringify({ type: 'request.updated', request: { reference: 'AJ-1' } }))).toBeNull();
  });

  it('reaches the listeners for the selected community only, and a resync tells them to re-read', async () => {
    const state = testState(fakeApi());
    const heard: ServiceRequest[] = [];
    state.requests.subscribe((r) => heard.push(r));
    const before = state.requests.resyncs.value;
    await state.sync.resync();
    expect(state.requests.resyncs.value).toBe(before + 1);

    state.sync.apply({ type: 'request.updated', request: makeRequest({ id: 'mine', status: 'responded' }) });
    state.sync.apply({ type: 'request.updated', request: makeRequest({ id: 'far', place: { ...makeRequest().place, communityId: 'c2' } }) });
    expect(heard.map((r) => `${r.id}:${r.status}`)).toEqual(['mine:responded']);
  });

  it('keeps telling the other listeners when one of them fails', () => {
    const state = testState(fakeApi());
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const good = vi.fn();
    state.requests.subscribe(() => {
      throw new Error('broken page');
    });
    const stop = state.requests.subscribe(good);
    state.requests.publish(makeRequest());
    expect(good).toHaveBeenCalledTimes(1);
    stop();
    state.requests.publish(makeRequest());
    expect(good).toHaveBeenCalledTimes(1);
    error.mockRestore();
  });
});
