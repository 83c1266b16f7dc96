import { flushPromises, mount } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { defineComponent, h } from 'vue';
import { createMemoryHistory, createRouter, RouterView } from 'vue-router';
import type { LiveEvent } from '../../../contract/index.ts';
import type { ApiClient } from '../api/client.ts';
import { createAppI18n } from '../i18n/index.ts';
import { APP_STATE } from '../state/app-state.ts';
import { usePageTitle } from '../state/page-title.ts';
import { COMMUNITY, fakeApi, makeAlert, makeUser, memoryStorage, testState } from '../testing/fixtures.ts';
import { FakeSocket, stubWebSocket } from '../testing/fake-socket.ts';
import ShellView from './ShellView.vue';

const hello: LiveEvent = { type: 'hello', at: '2025-01-01T08:00:00.000Z', user: makeUser() };
const Page = defineComponent({ render: () => null });
const NamedPage = defineComponent({
  setup() {
    usePageTitle(() => 'Workers and logins · Administration · Anju');
  },
  render: () => null,
});

/** The shell as the router mounts it, with empty pages inside; `fresh` starts with no remembered community. */
async function mountShell(overrides: Partial<ApiClient> = {}, { fresh = false } = {}) {
  const api = fakeApi(overrides);
  const state = testState(api, makeUser(), { storage: memoryStorage() });
  if (fresh) {
    state.communities.clear();
    state.communities.selectedId.value = null;
  }
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      {
        path: '/',
        component: ShellView,
        children: [
          { path: '', name: 'control-room', component: Page },
          { path: 'admin/:section?', name: 'admin', component: NamedPage },
        ],
      },
      ...['alerts', 'devices', 'care', 'kiosks', 'requests', 'indicators', 'worker', 'login'].map((name) => ({ path: `/${name}`, name, component: Page })),
    ],
  });
  await router.push('/');
  const shell = mount(defineComponent({ render: () => h(RouterView) }), {
    global: { plugins: [createAppI18n('en'), router], provide: { [APP_STATE as symbol]: state } },
  });
  await flushPromises();
  return { shell, api, state, router };
}

/** How often each resync fetch (and the community list) was asked for. */
function counts(api: ApiClient) {
  const n = (fn: unknown) => (fn as ReturnType<typeof vi.fn>).mock.calls.length;
  return { communities: n(api.communities), alerts: n(api.alerts), devices: n(api.devices), incidents: n(api.incidents), systemAlerts: n(api.systemAlerts), grids: n(api.grids), buildings: n(api.buildings) };
}
const once = { communities: 1, alerts: 1, devices: 1, incidents: 1, systemAlerts: 1, grids: 1, buildings: 1 };
const twice = { communities: 2, alerts: 2, devices: 2, incidents: 2, systemAlerts: 2, grids: 2, buildings: 2 };

describe('ShellView', () => {
  stubWebSocket();
  afterEach(() => {
    document.title = '';
  });

  it('loads the community list at once, and the lists once when the stream says hello', async () => {
    const { api, shell } = await mountShell();
    expect(FakeSocket.all).toHaveLength(1);
    // Before the hello: the list of communities for the header, nothing that could miss a live event.
    expect(counts(api)).toEqual({ ...once, alerts: 0, devices: 0, incidents: 0, systemAlerts: 0, grids: 0, buildings: 0 });
    FakeSocket.all[0]!.send(hello);
    await flushPromises();
    expect(counts(api)).toEqual(once);
    expect(api.deviceKinds).toHaveBeenCalledTimes(1);
    shell.unmount();
  });

  it('loads once when the community is only chosen by the list (nothing remembered)', async () => {
    const { api, state, shell } = await mountShell({}, { fresh: true });
    FakeSocket.all[0]!.send(hello);
    await flushPromises();
    expect(state.communities.selectedId.value).toBe(COMMUNITY);
    expect(counts(api)).toEqual(once);
    shell.unmount();
  });

  it('loads again once per reconnect, and once on a switch of community', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const { api, state, shell } = await mountShell({
        communities: vi.fn(() =>
          Promise.resolve([
            { id: COMMUNITY, name: '幸福里社区', kind: 'urban' as const, createdAt: '2024-01-01T00:00:00.000Z' },
            { id: 'c2', name: '和平里社区', kind: 'urban' as const, createdAt: '2024-01-01T00:00:00.000Z' },
          ]),
        ),
      });
      FakeSocket.all[0]!.send(hello);
      await flushPromises();
      expect(counts(api)).toEqual(once);

      FakeSocket.all[0]!.drop();
      await flushPromises();
      await vi.advanceTimersByTimeAsync(60_000);
      expect(FakeSocket.all).toHaveLength(2);
      FakeSocket.all[1]!.send(hello);
      await flushPromises();
      expect(counts(api)).toEqual(twice);

      state.communities.select('c2');
      await flushPromises();
      expect(counts(api)).toEqual({ ...twice, alerts: 3, devices: 3, incidents: 3, systemAlerts: 3, grids: 3, buildings: 3 });
      shell.unmount();
    } finally {
      vi.useRealTimers();
    }
  });

  it('shows the lists once even when the first connection fails before its hello', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const { api, shell } = await mountShell();
      FakeSocket.all[0]!.drop();
      await flushPromises();
      expect(counts(api)).toEqual(once);
      shell.unmount();
    } finally {
      vi.useRealTimers();
    }
  });

  it("puts the count of unacknowledged alerts in front of the page's own title", async () => {
    const { state, router, shell } = await mountShell({ alerts: vi.fn(() => Promise.resolve([makeAlert({ id: 'a1', status: 'open' })])) });
    FakeSocket.all[0]!.send(hello);
    await flushPromises();
    expect(document.title).toBe('(1) Anju Smart community');
    await router.push('/admin/workers');
    await flushPromises();
    expect(document.title).toBe('(1) Workers and logins · Administration · Anju');
    state.sync.apply({ type: 'alert.raised', alert: makeAlert({ id: 'a2', status: 'open', level: 'yellow' }) });
    await flushPromises();
    expect(document.title).toBe('(2) Workers and logins · Administration · Anju');
    await router.push('/');
    await flushPromises();
    expect(document.title).toBe('(2) Anju Smart community');
    shell.unmount();
  });
});
