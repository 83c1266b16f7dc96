import { flushPromises, mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { createMemoryHistory } from 'vue-router';
import { createAppI18n } from '../i18n/index.ts';
import { createAppRouter } from '../router/index.ts';
import { APP_STATE } from '../state/app-state.ts';
import { makeUser, testState } from '../testing/fixtures.ts';
import AdminView from './AdminView.vue';

async function mountAdmin(path: string, role: 'admin' | 'operator' | 'worker') {
  const state = testState(undefined, makeUser({ role }));
  const router = createAppRouter(state.session, createMemoryHistory());
  await router.push(path);
  const wrapper = mount(AdminView, {
    props: { section: router.currentRoute.value.params.section as string | undefined },
    global: { plugins: [createAppI18n('zh-CN'), router], provide: { [APP_STATE as symbol]: state } },
  });
  await flushPromises();
  return wrapper;
}

describe('AdminView', () => {
  it('tells anyone but an admin that administration is not for them', async () => {
    for (const role of ['operator', 'worker'] as const) {
      const wrapper = await mountAdmin('/admin/rules', role);
      expect(wrapper.find('[data-testid="admin-not-allowed"]').text()).toContain('只有管理员可以进入管理页面');
      expect(wrapper.find('[data-testid="admin-rules"]').exists()).toBe(false);
    }
  });

  it('shows the sections as links, the current one marked, and the section of the address', async () => {
    const wrapper = await mountAdmin('/admin/dead-letters', 'admin');
    const tabs = wrapper.findAll('nav a');
    expect(tabs.map((a) => a.attributes('href'))).toEqual(['/admin/places', '/admin/workers', '/admin/devices', '/admin/rules', '/admin/dead-letters']);
    expect(wrapper.find('[aria-current="page"]').text()).toBe('被拒绝的设备数据');
    expect(wrapper.find('[data-testid="admin-dead-letters"]').exists()).toBe(true);
  });

  it('opens places when no section is named', async () => {
    const wrapper = await mountAdmin('/admin', 'admin');
    expect(wrapper.find('[data-testid="admin-places"]').exists()).toBe(true);
    expect(wrapper.find('[aria-current="page"]').attributes('href')).toBe('/admin/places');
  });
});
