import { flushPromises } from '@vue/test-utils';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/client.ts';
import { visibleAlerts } from '../state/order.ts';
import { fakeApi, makeAlert, makeUser, mountWith, testState } from '../testing/fixtures.ts';
import AlertList from './AlertList.vue';

const NOW = Date.parse('2025-01-01T08:03:30.000Z');

function mountList(alerts: ReturnType<typeof makeAlert>[], state = testState(), locale: 'zh-CN' | 'en' = 'zh-CN') {
  state.alerts.replace(alerts);
  return mountWith(AlertList, { state, locale, props: { alerts: visibleAlerts(state.alerts.all.value, 'all', 'c1'), now: NOW, emptyText: 'none' } });
}

const buttons = (row: { findAll: (s: string) => { attributes: (n: string) => string | undefined }[] }) =>
  row.findAll('button').map((b) => b.attributes('data-testid'));

describe('AlertList', () => {
  it('shows red before yellow, with badge numeral, title, device, place, age, count and assignees', async () => {
    const state = testState();
    await state.catalogue.loadCommunity(state.api, 'c1');
    const wrapper = mountList(
      [
        makeAlert({ id: 'y', level: 'yellow', title: { 'zh-CN': '烟感故障', en: 'Smoke detector fault' }, raisedAt: '2025-01-01T08:03:00.000Z' }),
        makeAlert({ id: 'r', level: 'red', count: 4, raisedAt: '2025-01-01T08:00:00.000Z' }),
      ],
      state,
    );
    const rows = wrapper.findAll('[data-testid="alert-row"]');
    expect(rows.map((r) => r.attributes('data-alert-id'))).toEqual(['r', 'y']);
    const red = rows[0]!;
    expect(red.find('[data-testid="level-badge"]').text()).toContain('I');
    expect(red.find('[data-testid="level-badge"]').text()).toContain('红色');
    expect(red.find('[data-testid="alert-title"]').text()).toBe('烟感火警');
    expect(red.find('[data-testid="alert-device"]').text()).toContain('smoke-101');
    expect(red.find('[data-testid="alert-place"]').text()).toBe('5号楼 · 2 单元 · 3 层 · 301 室 · 网格：一网格');
    expect(red.find('[data-testid="alert-age"]').text()).toMatch(/3\s?分钟前/);
    expect(red.find('[data-testid="alert-count"]').text()).toBe('共 4 次');
    expect(red.find('[data-testid="alert-assignees"]').text()).toBe('王芳');
    expect(rows[1]!.find('[data-testid="alert-count"]').exists()).toBe(false);
  });

  it('renders the title in English when the language is English', () => {
    const wrapper = mountList([makeAlert()], testState(), 'en');
    expect(wrapper.find('[data-testid="alert-title"]').text()).toBe('Smoke alarm');
    expect(wrapper.find('[data-testid="alert-status"]').text()).toBe('Open');
  });

  it('offers only the step the lifecycle allows next', () => {
    const wrapper = mountList([
      makeAlert({ id: 'open', status: 'open' }),
      makeAlert({ id: 'ack', status: 'acknowledged' }),
      makeAlert({ id: 'site', status: 'on_site' }),
      makeAlert({ id: 'done', status: 'resolved' }),
    ]);
    const row = (id: string) => wrapper.find(`[data-alert-id="${id}"]`);
    expect(buttons(row('open'))).toEqual(['alert-acknowledge']);
    expect(buttons(row('ack'))).toEqual(['alert-on-site', 'alert-resolve']);
    expect(buttons(row('site'))).toEqual(['alert-resolve']);
    expect(buttons(row('done'))).toEqual([]);
  });

  it('offers no step to a vendor', () => {
    const wrapper = mountList([makeAlert()], testState(fakeApi(), makeUser({ role: 'vendor' })));
    expect(wrapper.findAll('button')).toHaveLength(0);
  });

  it('acknowledges through the API and shows the new status', async () => {
    const acknowledge = vi.fn((id: string) => Promise.resolve(makeAlert({ id, status: 'acknowledged' })));
    const state = testState(fakeApi({ acknowledge }));
    const wrapper = mountList([makeAlert()], state);
    await wrapper.find('[data-testid="alert-acknowledge"]').trigger('click');
    await flushPromises();
    expect(acknowledge).toHaveBeenCalledWith('a1');
    expect(state.alerts.byId.get('a1')?.status).toBe('acknowledged');
  });

  it('asks for a disposition before resolving', async () => {
    const resolve = vi.fn((id: string) => Promise.resolve(makeAlert({ id, status: 'resolved', disposition: 'false_alarm' })));
    const state = testState(fakeApi({ resolve }));
    const wrapper = mountList([makeAlert({ status: 'on_site' })], state);
    await wrapper.find('[data-testid="alert-resolve"]').trigger('click');
    const confirm = wrapper.find('[data-testid="alert-resolve-confirm"]');
    expect(confirm.attributes('disabled')).toBeDefined();
    await wrapper.find('[data-testid="disposition-false_alarm"]').setValue(true);
    await wrapper.find('[data-testid="resolve-note"]').setValue('  厨房油烟  ');
    await wrapper.find('[data-testid="resolve-form"]').trigger('submit');
    await flushPromises();
    expect(resolve).toHaveBeenCalledWith('a1', { disposition: 'false_alarm', note: '厨房油烟' });
    expect(state.alerts.byId.get('a1')?.status).toBe('resolved');
  });

  it('on 409 shows the translated message and re-reads the alert', async () => {
    const acknowledge = vi.fn(() => Promise.reject(new ApiError(409, 'invalid_transition', 'The alert lifecycle does not allow this step')));
    const alert = vi.fn((id: string) => Promise.resolve({ ...makeAlert({ id, status: 'acknowledged' }), history: [], care: null }));
    const state = testState(fakeApi({ acknowledge, alert }));
    const wrapper = mountList([makeAlert()], state);
    await wrapper.find('[data-testid="alert-acknowledge"]').trigger('click');
    await flushPromises();
    expect(wrapper.find('[data-testid="alert-action-error"]').text()).toBe('该预警当前的状态不允许这一步操作，画面已刷新。');
    expect(alert).toHaveBeenCalledWith('a1');
    expect(state.alerts.byId.get('a1')?.status).toBe('acknowledged');
  });
});
