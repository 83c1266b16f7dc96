import { flushPromises, mount } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMemoryHistory } from 'vue-router';
import type { Alert, Kiosk, LiveEvent } from '../../../contract/index.ts';
import { ApiError, createApiClient, type ApiClient } from '../api/client.ts';
import { toLocalInput } from '../format/clock.ts';
import { createAppI18n, type Locale } from '../i18n/index.ts';
import { createAppRouter } from '../router/index.ts';
import { APP_STATE } from '../state/app-state.ts';
import { KINDS, makeWorker, makeWorkerUser } from '../testing/admin-fixtures.ts';
import { FakeSocket, stubWebSocket } from '../testing/fake-socket.ts';
import { fakeApi, makeAlert, makeDevice, makeUser, testState } from '../testing/fixtures.ts';
import { makeRequest, makeResident, makeVisitDue, makeWorkOrder } from '../testing/service-fixtures.ts';
import WorkerView from './WorkerView.vue';

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
  stubWebSocket();
  afterEach(() => {
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

/** The API of the services at the fetch level: each call's method, path and JSON body is recorded; `routes` answer them. */
function fetchApi(routes: Record<string, (body: unknown, url: URL) => unknown>) {
  const calls: { method: string; path: string; body: unknown }[] = [];
  const fetch = vi.fn((input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input), 'http://anju.test');
    const method = init?.method ?? 'GET';
    const body: unknown = typeof init?.body === 'string' ? JSON.parse(init.body) : undefined;
    calls.push({ method, path: `${url.pathname}${url.search}`, body });
    const route = routes[`${method} ${url.pathname}`];
    if (!route) return Promise.resolve(new Response(JSON.stringify({ error: 'not_found', message: 'no route' }), { status: 404 }));
    return Promise.resolve(new Response(JSON.stringify(route(body, url)), { status: method === 'POST' && url.pathname === '/api/v1/visits' ? 201 : 200, headers: { 'content-type': 'application/json' } }));
  });
  const http = createApiClient({ getToken: () => 'test-token', fetch });
  return { http, calls, fetch };
}

const inHours = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();

describe('WorkerView: my visits, requests and kiosk work orders', () => {
  stubWebSocket();
  afterEach(() => {
    document.body.innerHTML = '';
  });

  it('lists my visits due this month, overdue first and highlighted; recording one posts the visit and takes it off the list', async () => {
    const due = makeVisitDue();
    const late = makeVisitDue({
      resident: makeResident({ id: 'r2', name: '李秀英', age: 88, phone: '139****0002' }),
      householdId: 'h2',
      room: '501',
      status: 'overdue',
      lastVisit: { id: 'v0', residentId: 'r2', residentName: '李秀英', workerId: 'w1', workerName: '王芳', visitedAt: '2024-11-12T02:00:00.000Z', outcome: 'needs_help', note: '要帮忙买药', followUp: true, recordedBy: '王芳' },
    });
    const { http, calls } = fetchApi({
      'GET /api/v1/visits/due': () => [due, late, makeVisitDue({ resident: makeResident({ id: 'r3', name: '赵大爷' }), status: 'done' })],
      'POST /api/v1/visits': (body) => {
        const b = body as { residentId: string; outcome: string; note?: string; followUp: boolean; visitedAt?: string };
        return { id: 'v1', residentName: '李秀英', workerId: 'w1', workerName: '王芳', recordedBy: '王芳', note: null, visitedAt: new Date().toISOString(), ...b };
      },
    });
    const { wrapper } = await mountWorker({ visitsDue: http.visitsDue, recordVisit: http.recordVisit });
    expect(calls[0]).toMatchObject({ method: 'GET', path: '/api/v1/visits/due?assignedTo=me' });

    const section = wrapper.find('[data-testid="my-visits-section"]');
    expect(section.find('h2').attributes('id')).toBe(section.attributes('aria-labelledby'));
    const items = () => wrapper.findAll('[data-testid="my-visit"]');
    // Done this month is not on the list; the overdue one comes first, marked in words as well as colour.
    expect(items().map((i) => [i.attributes('data-resident-id'), i.attributes('data-status')])).toEqual([
      ['r2', 'overdue'],
      ['r1', 'due'],
    ]);
    expect(items()[0]!.classes()).toContain('ws-urgent');
    expect(items()[1]!.classes()).not.toContain('ws-urgent');
    expect(items()[0]!.find('[data-testid="my-visit-status"]').text()).toBe('⚠ 逾期：上月没有走访');
    expect(items()[0]!.find('[data-testid="my-visit-place"]').text()).toBe('5号楼 · 1 单元 · 501 室');
    expect(items()[0]!.find('[data-testid="my-visit-phone"]').text()).toBe('139****0002');
    expect(items()[0]!.find('[data-testid="my-visit-follow-up"]').text()).toBe('上次走访后需要跟进：要帮忙买药');
    expect(wrapper.find('[data-testid="my-visit-count"]').text()).toBe('2 位待走访 · 其中 1 位逾期');

    const record = items()[0]!.find('[data-testid="my-visit-record"]');
    expect(record.attributes('aria-label')).toBe('记录对李秀英的走访');
    await record.trigger('click');
    const form = items()[0]!.find('[data-testid="visit-form"]');
    // The time, labelled, is optional: left empty it means now.
    const when = form.find('[data-testid="visit-when"]');
    expect(wrapper.find(`label[for="${when.attributes('id')}"]`).text()).toBe('走访时间');
    await form.find('[data-testid="visit-outcome-well"]').setValue(true);
    await form.find('[data-testid="visit-note"]').setValue('  血压正常，药已买好  ');
    await form.find('[data-testid="visit-follow-up"]').setValue(true);
    await form.trigger('submit');
    await flushPromises();

    expect(calls.at(-1)).toEqual({ method: 'POST', path: '/api/v1/visits', body: { residentId: 'r2', outcome: 'well', followUp: true, note: '血压正常，药已买好' } });
    expect(items().map((i) => i.attributes('data-resident-id'))).toEqual(['r1']);
    expect(wrapper.find('[data-testid="my-visit-count"]').text()).toBe('1 位待走访');
    expect(wrapper.find('[data-testid="worker-notice"]').text()).toBe('已记录对李秀英的走访。');
  });

  it('records a visit at the time given, and refuses a time in the future', async () => {
    const { http, calls } = fetchApi({
      'GET /api/v1/visits/due': () => [makeVisitDue()],
      'POST /api/v1/visits': (body) => ({ id: 'v1', residentName: '张桂兰', workerId: 'w1', workerName: '王芳', recordedBy: '王芳', note: null, ...(body as object) }),
    });
    const { wrapper } = await mountWorker({ visitsDue: http.visitsDue, recordVisit: http.recordVisit }, { locale: 'en' });
    await wrapper.find('[data-testid="my-visit-record"]').trigger('click');
    const form = wrapper.find('[data-testid="visit-form"]');
    await form.find('[data-testid="visit-outcome-not_home"]').setValue(true);
    await form.find('[data-testid="visit-when"]').setValue(toLocalInput(inHours(3)));
    await form.trigger('submit');
    expect(form.find('[data-testid="visit-when-error"]').text()).toBe('The visit cannot be later than now.');
    expect(calls.filter((c) => c.method === 'POST')).toHaveLength(0);

    const earlier = toLocalInput(new Date(Date.now() - 60_000).toISOString());
    await form.find('[data-testid="visit-when"]').setValue(earlier);
    await form.trigger('submit');
    await flushPromises();
    expect(calls.at(-1)).toEqual({ method: 'POST', path: '/api/v1/visits', body: { residentId: 'r1', outcome: 'not_home', followUp: false, visitedAt: new Date(earlier).toISOString() } });
    // "Not at home" is no visit: the resident stays on the list, with the attempt as the last visit.
    const item = wrapper.find('[data-testid="my-visit"]');
    expect(item.find('[data-testid="my-visit-last"]').text()).toContain('Not at home');
    expect(wrapper.find('[data-testid="worker-notice"]').text()).toBe('Recorded. “Not at home” does not count as a visit: see 张桂兰 again this month.');
  });

  it('lists the open requests assigned to me with their deadline, late first; responding posts the note', async () => {
    const soon = makeRequest({ id: 'req1', reference: 'AJ-1', deadline: inHours(2) });
    const late = makeRequest({ id: 'req2', reference: 'AJ-2', category: 'safety', description: '楼道堆放杂物', deadline: inHours(-1.5), overdue: true, contact: { name: '陈先生', phone: '139****0003', masked: true } });
    const { http, calls } = fetchApi({
      'GET /api/v1/requests': () => [soon, late],
      'POST /api/v1/requests/req1/respond': () => ({ ...soon, status: 'responded', respondedAt: new Date().toISOString(), firstResponseS: 600 }),
    });
    const { wrapper } = await mountWorker({ requests: http.requests, respondRequest: http.respondRequest });
    expect(calls[0]).toMatchObject({ method: 'GET', path: '/api/v1/requests?assignedTo=me&status=active' });

    const section = wrapper.find('[data-testid="my-requests-section"]');
    expect(section.find('h2').attributes('id')).toBe(section.attributes('aria-labelledby'));
    const items = () => wrapper.findAll('[data-testid="my-request"]');
    expect(items().map((i) => i.attributes('data-request-id'))).toEqual(['req2', 'req1']);
    expect(items()[0]!.classes()).toContain('ws-urgent');
    expect(items()[0]!.find('[data-testid="my-request-deadline"]').text()).toMatch(/^⚠ 响应时限 · 超时 1小时30分钟/);
    expect(items()[0]!.find('[data-testid="my-request-contact"]').text()).toBe('陈先生 · 139****0003');
    expect(items()[0]!.find('[data-testid="my-request-contact"] a').exists()).toBe(false);
    expect(items()[1]!.find('[data-testid="my-request-deadline"]').text()).toMatch(/^响应时限 · 剩 1小时59分钟|^响应时限 · 剩 2小时/);
    expect(items()[1]!.find('[data-testid="my-request-contact"] a').attributes('href')).toBe('tel:13912340001');
    expect(items()[1]!.find('[data-testid="my-request-place"]').text()).toBe('5号楼 · 3 单元');
    expect(wrapper.find('[data-testid="my-request-count"]').text()).toBe('2 条未办结 · 其中 1 条已超时');

    const mine = items()[1]!;
    expect(mine.findAll('button').map((b) => b.attributes('data-testid'))).toEqual(['my-request-respond', 'my-request-progress', 'my-request-close']);
    await mine.find('[data-testid="my-request-respond"]').trigger('click');
    // The note is required: an empty one sends nothing.
    await mine.find('[data-testid="request-step-form"]').trigger('submit');
    expect(calls.filter((c) => c.method === 'POST')).toHaveLength(0);
    await mine.find('[data-testid="request-step-text"]').setValue('已电话联系，下午上门查看');
    await mine.find('[data-testid="request-step-form"]').trigger('submit');
    await flushPromises();

    expect(calls.at(-1)).toEqual({ method: 'POST', path: '/api/v1/requests/req1/respond', body: { note: '已电话联系，下午上门查看' } });
    const after = items()[1]!;
    expect(after.find('[data-testid="my-request-status"]').text()).toBe('已响应');
    expect(after.find('[data-testid="my-request-deadline"]').text()).toBe('响应时限 · 已按时响应');
    expect(after.findAll('button').map((b) => b.attributes('data-testid'))).toEqual(['my-request-progress', 'my-request-close']);
    expect(wrapper.find('[data-testid="worker-notice"]').text()).toBe('已记录首次响应。');
  });

  it('follows request.updated on the live stream: a new one of mine joins, a closed or reassigned one leaves, one escalated to me joins, others are ignored', async () => {
    const requests = vi.fn(() => Promise.resolve([makeRequest({ id: 'req1', deadline: inHours(4) }), makeRequest({ id: 'req2', deadline: inHours(5) })]));
    const { wrapper, socket } = await mountWorker({ requests }, { locale: 'en' });
    const ids = () => wrapper.findAll('[data-testid="my-request"]').map((i) => i.attributes('data-request-id'));
    expect(ids()).toEqual(['req1', 'req2']);

    const other = { workerId: 'w2', name: '李强', position: 'grid_worker' as const };
    socket!.send({ type: 'request.updated', request: makeRequest({ id: 'req3', reference: 'AJ-3', deadline: inHours(1) }) });
    socket!.send({ type: 'request.updated', request: makeRequest({ id: 'req9', deadline: inHours(1), assignee: other }) });
    socket!.send({ type: 'request.updated', request: makeRequest({ id: 'req1', deadline: inHours(4), status: 'in_progress', respondedAt: new Date().toISOString() }) });
    await flushPromises();
    expect(ids()).toEqual(['req3', 'req1', 'req2']);
    expect(wrapper.find('[data-request-id="req1"] [data-testid="my-request-status"]').text()).toBe('In progress');

    socket!.send({ type: 'request.updated', request: makeRequest({ id: 'req1', status: 'closed', closedAt: new Date().toISOString(), resolution: 'Fixed' }) });
    socket!.send({ type: 'request.updated', request: makeRequest({ id: 'req2', deadline: inHours(5), assignee: other }) });
    await flushPromises();
    expect(ids()).toEqual(['req3']);
    expect(wrapper.find('[data-testid="my-request-count"]').text()).toBe('1 open');

    // Late on someone else's desk and escalated to me: mine too, saying whose it is.
    const me = { workerId: 'w1', name: '王芳', position: 'grid_worker' as const };
    socket!.send({ type: 'request.updated', request: makeRequest({ id: 'req8', deadline: inHours(-1), overdue: true, assignee: other, escalationStage: 1, escalatedTo: [me] }) });
    await flushPromises();
    expect(ids()).toEqual(['req8', 'req3']);
    expect(wrapper.find('[data-request-id="req8"] [data-testid="my-request-assignee"]').text()).toBe('李强 (escalated to you when late)');
    expect(wrapper.find('[data-request-id="req3"] [data-testid="my-request-assignee"]').exists()).toBe(false);
  });

  it('shows my kiosk work orders to a kiosk maintainer; closing one posts the note and takes it off', async () => {
    const kiosks = vi.fn(() => Promise.resolve([{ deviceId: 'kiosk-2', maintainer: { workerId: 'w1', name: '王芳', phone: null } } as unknown as Kiosk]));
    const workOrders = vi.fn(() => Promise.resolve([makeWorkOrder({ maintainer: { workerId: 'w1', name: '王芳' } })]));
    const closeWorkOrder = vi.fn((orderId: string) => Promise.resolve({ ...makeWorkOrder({ id: orderId, status: 'closed' }), history: [] }));
    const { wrapper } = await mountWorker({ kiosks, workOrders, closeWorkOrder });
    expect(workOrders).toHaveBeenCalledWith({ maintainer: 'me', status: 'open' });
    const section = wrapper.find('[data-testid="my-work-orders-section"]');
    expect(section.find('h2').text()).toContain('我的一体机维修工单');
    const order = wrapper.find('[data-testid="my-work-order"]');
    expect(order.find('[data-testid="my-work-order-reason"]').text()).toBe('故障');
    await order.find('[data-testid="my-work-order-close"]').trigger('click');
    await order.find('[data-testid="work-order-close-form"]').trigger('submit');
    expect(closeWorkOrder).not.toHaveBeenCalled();
    await order.find('[data-testid="work-order-close-note"]').setValue(' 已清理卡纸 ');
    await order.find('[data-testid="work-order-close-form"]').trigger('submit');
    await flushPromises();
    expect(closeWorkOrder).toHaveBeenCalledWith('wo1', '已清理卡纸');
    expect(wrapper.find('[data-testid="my-work-order"]').exists()).toBe(false);
    expect(wrapper.find('[data-testid="my-work-orders-empty"]').exists()).toBe(true);
    expect(wrapper.find('[data-testid="worker-notice"]').text()).toBe('已关闭kiosk-2的工单。');
  });

  it('leaves the kiosk section out for a worker who maintains no kiosk', async () => {
    const { wrapper, api } = await mountWorker();
    expect(api.workOrders).toHaveBeenCalled();
    expect(wrapper.find('[data-testid="my-work-orders-section"]').exists()).toBe(false);
    expect(wrapper.find('[data-testid="my-visits-empty"]').exists()).toBe(true);
    expect(wrapper.find('[data-testid="my-requests-empty"]').exists()).toBe(true);
  });
});
