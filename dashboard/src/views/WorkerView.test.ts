import { flushPromises, mount } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemoryHistory } from 'vue-router';
import type { Alert, LiveEvent } from '../../../contract/index.ts';
import { ApiError, type ApiClient } from '../api/client.ts';
import { createAppI18n, type Locale } from '../i18n/index.ts';
import { createAppRouter } from '../router/index.ts';
import { APP_STATE } from '../state/app-state.ts';
import { KINDS, makeWorker, makeWorkerUser } from '../testing/admin-fixtures.ts';
import { fakeApi, makeAlert, makeDevice, makeUser, testState } from '../testing/fixtures.ts';
import WorkerView from './WorkerView.vue';

/** Stands in for the browser's WebSocket: the view opens its own live connection. */
class FakeSocket {
  static all: FakeSocket[] = [];
  onopen: ((event: Event) => void) | null = null;
  onmessage: ((event: MessageEvent) => void) | null = null;
  onclose: ((event: CloseEvent) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  closed = false;
  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  send(event: LiveEvent) {
    this.onmessage?.({ data: JSON.stringify(event) } as MessageEvent);
  }
  close() {
    this.closed = true;
  }
}

const hello: LiveEvent = { type: 'hello', at: '2025-01-01T08:00:00.000Z', user: makeWorkerUser() };

async function mountWorker(overrides: Partial<ApiClient> = {}, { user = makeWorkerUser(), locale = 'zh-CN' as Locale } = {}) {
  const api = fakeApi({
    deviceKinds: vi.fn(() => Promise.resolve(KINDS)),
    workers: vi.fn(() => Promise.resolve([makeWorker()])),
    ...overrides,
  });
  const state = testState(api, user);
  const router = createAppRouter(state.session, createMemoryHistory());
  await router.push('/worker');
  const wrapper = mount(WorkerView, { global: { plugins: [createAppI18n(locale), router], provide: { [APP_STATE as symbol]: state } }, attachTo: document.body });
  const socket = FakeSocket.all.at(-1);
  if (socket) {
    socket.send(hello);
    await flushPromises();
  }
  return { wrapper, api, state, socket, router };
}

const cards = (wrapper: Awaited<ReturnType<typeof mountWorker>>['wrapper']) => wrapper.findAll('[data-testid="my-alert"]');

describe('WorkerView', () => {
  beforeEach(() => {
    FakeSocket.all = [];
    vi.stubGlobal('WebSocket', FakeSocket);
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    document.body.innerHTML = '';
  });

  it('lists my open alerts with level in words, what, where and how long ago', async () => {
    const myAlerts = vi.fn(() => Promise.resolve([makeAlert({ id: 'blue', level: 'blue', title: { 'zh-CN': '电量低', en: 'Battery low' } }), makeAlert({ id: 'red' })]));
    const { wrapper, socket } = await mountWorker({ myAlerts });
    expect(socket?.url).toContain('/api/v1/stream?access_token=test-token');
    expect(myAlerts).toHaveBeenCalledWith('active');
    const shown = cards(wrapper);
    expect(shown.map((c) => c.attributes('data-alert-id'))).toEqual(['red', 'blue']);
    const red = shown[0]!;
    expect(red.find('[data-testid="my-alert-level"]').text()).toBe('红色预警 · I级');
    expect(red.find('[data-testid="my-alert-title"]').text()).toBe('烟感火警');
    expect(red.find('[data-testid="my-alert-place"]').text()).toBe('5号楼 · 2 单元 · 3 层 · 301 室');
    expect(red.find('[data-testid="my-alert-device"]').text()).toBe('烟感探测器 · smoke-101');
    expect(red.find('[data-testid="my-alert-age"]').text()).toMatch(/前$/);
    expect(red.find('[data-testid="my-alert-status"]').text()).toBe('等待您接单');
    expect(wrapper.find('[data-testid="my-alert-count"]').text()).toBe('2 条待处理');
    expect(wrapper.find('[data-testid="worker-live-status"]').attributes('data-state')).toBe('open');
  });

  it('acknowledges with one tap, then goes on site', async () => {
    const acknowledge = vi.fn((id: string) => Promise.resolve(makeAlert({ id, status: 'acknowledged' })));
    const onSite = vi.fn((id: string) => Promise.resolve(makeAlert({ id, status: 'on_site' })));
    const { wrapper } = await mountWorker({ myAlerts: vi.fn(() => Promise.resolve([makeAlert()])), acknowledge, onSite });
    await wrapper.find('[data-testid="my-alert-acknowledge"]').trigger('click');
    await flushPromises();
    expect(acknowledge).toHaveBeenCalledWith('a1');
    expect(cards(wrapper)[0]!.attributes('data-status')).toBe('acknowledged');
    expect(wrapper.find('[data-testid="worker-notice"]').text()).toBe('已接单：烟感火警');

    await wrapper.find('[data-testid="my-alert-on-site"]').trigger('click');
    await flushPromises();
    expect(onSite).toHaveBeenCalledWith('a1');
    expect(cards(wrapper)[0]!.find('[data-testid="my-alert-status"]').text()).toBe('已在现场，处理完请填写结果');
  });

  it('resolves with a disposition and a note, and the alert leaves the list', async () => {
    const resolve = vi.fn((id: string) => Promise.resolve(makeAlert({ id, status: 'resolved', disposition: 'false_alarm' })));
    const { wrapper } = await mountWorker({ myAlerts: vi.fn(() => Promise.resolve([makeAlert({ status: 'on_site' })])), resolve });
    await wrapper.find('[data-testid="my-alert-resolve"]').trigger('click');
    // Sending without a choice asks for one and calls nothing.
    await wrapper.find('[data-testid="worker-resolve-form"]').trigger('submit');
    expect(wrapper.text()).toContain('请先选择是什么情况。');
    expect(resolve).not.toHaveBeenCalled();

    await wrapper.find('[data-testid="worker-disposition-false_alarm"]').setValue(true);
    await wrapper.find('[data-testid="worker-resolve-note"]').setValue('  厨房油烟  ');
    await wrapper.find('[data-testid="worker-resolve-form"]').trigger('submit');
    await flushPromises();
    expect(resolve).toHaveBeenCalledWith('a1', { disposition: 'false_alarm', note: '厨房油烟' });
    expect(cards(wrapper)).toHaveLength(0);
    expect(wrapper.find('[data-testid="my-alerts-empty"]').exists()).toBe(true);
  });

  it('shows a failed step in words on the card', async () => {
    const acknowledge = vi.fn(() => Promise.reject(new ApiError(0, 'network', 'Failed to fetch')));
    const { wrapper } = await mountWorker({ myAlerts: vi.fn(() => Promise.resolve([makeAlert()])), acknowledge });
    await wrapper.find('[data-testid="my-alert-acknowledge"]').trigger('click');
    await flushPromises();
    expect(wrapper.find('[data-testid="my-alert-error"]').text()).toBe('没有成功：无法连接服务器，请检查网络后重试。');
  });

  it('updates from live events: a new alert appears, an update moves it on, one for someone else is ignored', async () => {
    const { wrapper, socket } = await mountWorker({}, { locale: 'en' });
    expect(wrapper.find('[data-testid="my-alerts-empty"]').text()).toBe('Nothing for you to handle right now.');
    socket!.send({ type: 'alert.raised', alert: makeAlert({ id: 'new', level: 'orange' }) });
    socket!.send({ type: 'alert.raised', alert: makeAlert({ id: 'theirs', assignees: [{ workerId: 'w2', name: '李强', position: 'grid_worker' }] }) });
    await flushPromises();
    expect(cards(wrapper).map((c) => c.attributes('data-alert-id'))).toEqual(['new']);
    expect(cards(wrapper)[0]!.find('[data-testid="my-alert-level"]').text()).toBe('Orange alert · level II');
    expect(wrapper.find('[data-testid="worker-notice-urgent"]').text()).toContain('New alert: Orange, Smoke alarm');

    socket!.send({ type: 'alert.updated', alert: makeAlert({ id: 'new', level: 'orange', status: 'acknowledged' }) });
    await flushPromises();
    expect(cards(wrapper)[0]!.attributes('data-status')).toBe('acknowledged');
    expect(wrapper.find('[data-testid="my-alert-on-site"]').exists()).toBe(true);
  });

  it('re-reads my alerts when the connection comes back, without polling', async () => {
    vi.useFakeTimers();
    try {
      const myAlerts = vi.fn<() => Promise<Alert[]>>(() => Promise.resolve([]));
      const { socket } = await mountWorker({ myAlerts });
      expect(myAlerts).toHaveBeenCalledTimes(1);
      await vi.advanceTimersByTimeAsync(120_000);
      expect(myAlerts).toHaveBeenCalledTimes(1);
      socket!.onclose?.({ code: 1006 } as CloseEvent);
      await vi.advanceTimersByTimeAsync(60_000);
      const again = FakeSocket.all.at(-1)!;
      expect(again).not.toBe(socket);
      myAlerts.mockResolvedValueOnce([makeAlert({ id: 'missed' })]);
      again.send(hello);
      await vi.advanceTimersByTimeAsync(0);
      expect(myAlerts).toHaveBeenCalledTimes(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it('lists my grid’s devices that need attention, with reasons in words', async () => {
    const devices = vi.fn(() =>
      Promise.resolve([
        makeDevice({ id: 'fine' }),
        makeDevice({ id: 'tired', battery: 12 }),
        makeDevice({ id: 'gone', status: 'offline', online: false }),
        makeDevice({ id: 'other-grid', gridId: 'g2', status: 'offline', online: false }),
      ]),
    );
    const { wrapper, socket } = await mountWorker({ devices });
    const items = () => wrapper.findAll('[data-testid="attention-device"]');
    expect(items().map((i) => i.attributes('data-device-id'))).toEqual(['gone', 'tired']);
    expect(items()[0]!.text()).toContain('离线');
    expect(items()[1]!.text()).toContain('电量低 · 电量 12%');

    socket!.send({ type: 'device.status', device: makeDevice({ id: 'fine', status: 'silent' }) });
    await flushPromises();
    expect(items().map((i) => i.attributes('data-device-id'))).toEqual(['gone', 'fine', 'tired']);
    expect(items()[1]!.text()).toContain('失联：很久没有上报');
  });

  it('tells a user without a worker record where to go instead, and opens no connection', async () => {
    const { wrapper } = await mountWorker({}, { user: makeUser() });
    expect(FakeSocket.all).toHaveLength(0);
    const panel = wrapper.find('[data-testid="worker-not-linked"]');
    expect(panel.text()).toContain('您的账号没有关联网格员');
    expect(panel.find('a').attributes('href')).toBe('/');
  });

  it('signs out', async () => {
    const { wrapper, state, router, socket } = await mountWorker();
    await wrapper.find('[data-testid="worker-sign-out"]').trigger('click');
    await flushPromises();
    expect(state.session.token()).toBeNull();
    expect(socket!.closed).toBe(true);
    expect(router.currentRoute.value.name).toBe('login');
  });
});
