import { flushPromises } from '@vue/test-utils';
import { describe, expect, it, vi } from 'vitest';
import type { RuleUpdate, StoredRule } from '../../../../../contract/index.ts';
import { ApiError } from '../../../api/client.ts';
import { KINDS, makeRule } from '../../../testing/admin-fixtures.ts';
import { fakeApi, mountWith, testState } from '../../../testing/fixtures.ts';
import RulesSection from './RulesSection.vue';

async function mountRules(updateRule: (id: string, body: RuleUpdate) => Promise<StoredRule>, locale: 'zh-CN' | 'en' = 'zh-CN') {
  const api = fakeApi({
    deviceKinds: vi.fn(() => Promise.resolve(KINDS)),
    rules: vi.fn(() => Promise.resolve([makeRule(), makeRule({ id: 'gas_detector.alarm', name: { 'zh-CN': '燃气泄漏报警', en: 'Gas leak alarm' }, condition: { type: 'event', event: 'alarm', level: 'red' } })])),
    updateRule: vi.fn(updateRule),
  });
  const state = testState(api);
  const wrapper = mountWith(RulesSection, { state, locale });
  await flushPromises();
  return { wrapper, api };
}

describe('rules', () => {
  it('lists the rules per device kind with version, state and levels', async () => {
    const { wrapper } = await mountRules(() => Promise.reject(new Error('unused')));
    const group = wrapper.find('[data-kind="gas_detector"]');
    expect(group.find('h2').text()).toBe('燃气探测器');
    const row = group.find('[data-rule-id="gas_detector.gas_lel"]');
    expect(row.find('[data-testid="rule-version"]').text()).toBe('v1');
    expect(row.find('[data-testid="rule-state"]').text()).toBe('启用');
    expect(row.findAll('[data-testid="level-badge"]').map((b) => b.attributes('data-level'))).toEqual(['orange', 'red']);
  });

  it('shows each validation message of a 400 answer next to its field', async () => {
    const updateRule = () =>
      Promise.reject(
        new ApiError(400, 'validation_failed', 'The request is not valid; each offending field is listed in details.', [
          { in: 'body', path: 'condition.steps.1.value', message: 'must lie further above than step 0' },
          { in: 'body', path: 'condition.forS', message: 'Too small: expected number to be >=0' },
          { in: 'body', path: 'schedule.to', message: 'must differ from schedule.from' },
        ]),
      );
    const { wrapper, api } = await mountRules(updateRule);
    await wrapper.find('[data-rule-id="gas_detector.gas_lel"] [data-testid="rule-edit"]').trigger('click');
    await wrapper.find('[data-testid="rule-step-1-value"]').setValue('5');
    await wrapper.find('[data-testid="rule-for-s"]').setValue('-1');
    await wrapper.find('[data-testid="rule-schedule-on"]').setValue(true);
    await wrapper.find('[data-testid="rule-to"]').setValue('08:00');
    await wrapper.find('[data-testid="rule-editor"]').trigger('submit');
    await flushPromises();

    expect(api.updateRule).toHaveBeenCalledWith(
      'gas_detector.gas_lel',
      expect.objectContaining({
        condition: { type: 'threshold', metric: 'gas_lel', direction: 'above', steps: [{ level: 'orange', value: 10 }, { level: 'red', value: 5 }], forS: -1, hysteresis: 2 },
        schedule: { days: [1, 2, 3, 4, 5, 6, 7], from: '08:00', to: '08:00' },
        debounce: null,
      }),
    );
    const messageFor = (testid: string) => {
      const input = wrapper.find(`[data-testid="${testid}"]`);
      expect(input.attributes('aria-invalid')).toBe('true');
      return wrapper.find(`#${input.attributes('aria-describedby')!.split(' ').at(-1)}`).text();
    };
    expect(messageFor('rule-step-1-value')).toContain('must lie further above than step 0');
    expect(messageFor('rule-for-s')).toContain('Too small: expected number to be >=0');
    expect(messageFor('rule-to')).toContain('must differ from schedule.from');
    expect(wrapper.find('[data-testid="rule-from"]').attributes('aria-invalid')).toBe('false');
    expect(wrapper.find('[data-testid="rule-step-0-value"]').attributes('aria-invalid')).toBe('false');
    const summary = wrapper.find('[data-testid="error-summary"]');
    expect(summary.text()).toContain('提交的内容不正确。');
    expect(summary.findAll('[data-testid="error-summary-item"]').map((i) => i.text())).toEqual([
      '第 2 级的数值：must lie further above than step 0',
      '持续多少秒才预警：Too small: expected number to be >=0',
      '到：must differ from schedule.from',
    ]);
  });

  it('saves a rule as a new version and says so', async () => {
    const { wrapper, api } = await mountRules((id, body) => Promise.resolve(makeRule({ id, version: 2, enabled: body.enabled ?? true })), 'en');
    await wrapper.find('[data-rule-id="gas_detector.alarm"] [data-testid="rule-edit"]').trigger('click');
    await wrapper.find('[data-testid="rule-enabled"]').setValue(false);
    await wrapper.find('[data-testid="rule-clear-event"]').setValue('fault');
    await wrapper.find('[data-testid="rule-editor"]').trigger('submit');
    await flushPromises();
    expect(api.updateRule).toHaveBeenCalledWith('gas_detector.alarm', expect.objectContaining({ enabled: false, condition: { type: 'event', event: 'alarm', level: 'red', clearEvent: 'fault' } }));
    expect(wrapper.find('[data-testid="rule-saved"]').text()).toBe('Rule gas_detector.alarm saved as v2.');
    expect(wrapper.find('[data-testid="rule-editor"]').exists()).toBe(false);
  });
});
