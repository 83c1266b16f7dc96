import { flushPromises } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { effectScope } from 'vue';
import type { LiveEvent } from '../../../contract/index.ts';
import { fakeApi, makeAlert, makeDevice, makeUser, testState } from '../testing/fixtures.ts';
import { backoffDelay, type SocketLike, useLiveStream } from './useLiveStream.ts';

class FakeSocket implements SocketLike {
  onopen: ((event: Event) => void) | null = null;
  onmessage: ((event: MessageEvent) => void) | null = null;
  onclose: ((event: CloseEvent) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  closed = false;
  constructor(readonly url: string) {}
  send(event: LiveEvent | string) {
    this.onmessage?.({ data: typeof event === 'string' ? event : JSON.stringify(event) } as MessageEvent);
  }
  drop() {
    this.onclose?.({ code: 1006 } as CloseEvent);
  }
  close() {
    this.closed = true;
  }
}

const hello: LiveEvent = { type: 'hello', at: '2025-01-01T08:00:00.000Z', user: makeUser() };

/** The live stream wired as the shell wires it: hello → resync, other events → sync.apply. */
function setup(api = fakeApi()) {
  const state = testState(api);
  const sockets: FakeSocket[] = [];
  const scope = effectScope();
  const live = scope.run(() =>
    useLiveStream({
      url: () => 'ws://test/api/v1/stream?access_token=t',
      onHello: () => void state.sync.resync(),
      onEvent: (event) => state.sync.apply(event),
      socket: (url) => {
        const socket = new FakeSocket(url);
        sockets.push(socket);
        return socket;
      },
      initialDelayMs: 1000,
      maxDelayMs: 8000,
      random: () => 1,
    }),
  )!;
  return { state, live, sockets, scope };
}

describe('useLiveStream with the sync', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('closes a connection that stays silent past the ping interval, and keeps one that is pinged', async () => {
    const { live, sockets } = setup();
    live.start();
    const socket = sockets[0]!;
    socket.send(hello);
    await flushPromises();
    vi.advanceTimersByTime(50_000);
    socket.send({ type: 'ping', at: '2025-01-01T08:00:50.000Z' });
    vi.advanceTimersByTime(50_000);
    expect(socket.closed).toBe(false);
    vi.advanceTimersByTime(10_001);
    expect(socket.closed).toBe(true);
  });

  it('applies alert.raised and alert.updated to the alert state', async () => {
    const { state, live, sockets } = setup();
    live.start();
    const socket = sockets[0]!;
    socket.send(hello);
    await flushPromises();
    expect(live.state.value).toBe('open');

    socket.send({ type: 'alert.raised', alert: makeAlert({ id: 'a9', level: 'red' }) });
    expect(state.alerts.byId.get('a9')?.status).toBe('open');
    expect(state.alerts.fresh.has('a9')).toBe(true);

    socket.send({ type: 'alert.updated', alert: makeAlert({ id: 'a9', status: 'acknowledged', count: 2 }) });
    expect(state.alerts.byId.get('a9')).toMatchObject({ status: 'acknowledged', count: 2 });
  });

  it('applies device.status and ignores other communities and malformed frames', async () => {
    const { state, live, sockets } = setup();
    live.start();
    const socket = sockets[0]!;
    socket.send(hello);
    await flushPromises();
    socket.send({ type: 'device.status', device: makeDevice({ id: 'd1', online: false }) });
    socket.send({ type: 'alert.raised', alert: makeAlert({ id: 'far', communityId: 'c2' }) });
    socket.send('not json');
    socket.send(JSON.stringify({ type: 'alert.raised' }));
    expect(state.devices.byId.get('d1')?.online).toBe(false);
    expect(state.alerts.byId.has('far')).toBe(false);
    expect(state.alerts.byId.size).toBe(0);
  });

  it('reconnects with growing delays and resyncs after every hello', async () => {
    const alerts = vi.fn(() => Promise.resolve([makeAlert({ id: 'from-server' })]));
    const { state, live, sockets } = setup(fakeApi({ alerts }));
    live.start();
    sockets[0]!.send(hello);
    await flushPromises();
    expect(alerts).toHaveBeenCalledTimes(1);

    sockets[0]!.drop();
    expect(live.state.value).toBe('waiting');
    await flushPromises();
    vi.advanceTimersByTime(999);
    expect(sockets).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(sockets).toHaveLength(2);

    // Fails before hello: the next wait doubles.
    sockets[1]!.drop();
    await flushPromises();
    vi.advanceTimersByTime(1999);
    expect(sockets).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(sockets).toHaveLength(3);

    state.alerts.clear();
    sockets[2]!.send(hello);
    await flushPromises();
    expect(alerts).toHaveBeenCalledTimes(2);
    expect(state.alerts.byId.has('from-server')).toBe(true);
    expect(live.state.value).toBe('open');
  });

  it('keeps live events that arrive while the resync is in flight', async () => {
    let answer: (list: ReturnType<typeof makeAlert>[]) => void = () => undefined;
    const alerts = vi.fn(() => new Promise<ReturnType<typeof makeAlert>[]>((resolve) => (answer = resolve)));
    const { state, live, sockets } = setup(fakeApi({ alerts }));
    live.start();
    const socket = sockets[0]!;
    socket.send(hello);
    socket.send({ type: 'alert.updated', alert: makeAlert({ id: 'a1', status: 'acknowledged' }) });
    socket.send({ type: 'alert.raised', alert: makeAlert({ id: 'a2' }) });
    // The fetched list was read before the acknowledgement and before a2 existed.
    answer([makeAlert({ id: 'a1', status: 'open' })]);
    await flushPromises();
    expect(state.alerts.byId.get('a1')?.status).toBe('acknowledged');
    expect(state.alerts.byId.has('a2')).toBe(true);
  });

  it('stops when asked and when its scope ends', async () => {
    const { live, sockets, scope } = setup();
    live.start();
    live.stop();
    expect(sockets[0]!.closed).toBe(true);
    expect(live.state.value).toBe('idle');
    live.start();
    scope.stop();
    expect(sockets[1]!.closed).toBe(true);
    vi.advanceTimersByTime(60_000);
    expect(sockets).toHaveLength(2);
  });

  it('gives up when the retry check says the session is gone', async () => {
    const sockets: FakeSocket[] = [];
    const live = effectScope().run(() =>
      useLiveStream({
        url: () => 'ws://x',
        onHello: () => undefined,
        onEvent: () => undefined,
        shouldRetry: () => Promise.resolve(false),
        socket: (url) => {
          const s = new FakeSocket(url);
          sockets.push(s);
          return s;
        },
      }),
    )!;
    live.start();
    sockets[0]!.drop();
    await flushPromises();
    vi.advanceTimersByTime(60_000);
    expect(sockets).toHaveLength(1);
    expect(live.state.value).toBe('idle');
  });
});

describe('backoffDelay', () => {
  it('doubles up to the ceiling and jitters within its upper half', () => {
    expect(backoffDelay(0, 1000, 30_000, () => 1)).toBe(1000);
    expect(backoffDelay(3, 1000, 30_000, () => 1)).toBe(8000);
    expect(backoffDelay(10, 1000, 30_000, () => 1)).toBe(30_000);
    expect(backoffDelay(10, 1000, 30_000, () => 0)).toBe(15_000);
  });
});
