import { flushPromises } from '@vue/test-utils';
import { describe, expect, it, vi } from 'vitest';
import { makeDeadLetter } from '../../../testing/admin-fixtures.ts';
import { fakeApi, makeDevice, mountWith, testState } from '../../../testing/fixtures.ts';
import DeadLettersSection from './DeadLettersSection.vue';

describe('dead letters', () => {
  it('lists rejected payloads with code, reason, field details, topic, payload and time', async () => {
    const deadLetters = vi.fn(() =>
      Promise.resolve([
        makeDeadLetter(),
        makeDeadLetter({ id: 'dl2', deviceId: null, error: 'unsupported_topic', topic: 'anju/v1/devices/x/foo', payload: 'raw', details: { topic: 'anju/v1/devices/x/foo' }, message: 'This topic is not part of the device contract' }),
      ]),
    );
    const wrapper = mountWith(DeadLettersSection, { state: testState(fakeApi({ deadLetters })) });
    await flushPromises();
    expect(deadLetters).toHaveBeenCalledWith(undefined);
    const [first, second] = wrapper.findAll('[data-testid="dead-letter"]');
    expect(first!.find('[data-testid="dead-letter-code"]').text()).toBe('invalid_payload');
    expect(first!.find('[data-testid="dead-letter-reason"]').text()).toBe('设备数据不符合接入规范。');
    expect(first!.find('[data-testid="dead-letter-details"]').text()).toBe('values.temperature：must be a number or a boolean');
    expect(first!.find('[data-testid="dead-letter-topic"]').text()).toBe('anju/v1/devices/smoke-101/telemetry');
    expect(first!.find('[data-testid="dead-letter-payload"]').text()).toBe('{"values":{"temperature":"hot"}}');
    expect(first!.find('time').attributes('datetime')).toBe('2025-01-01T08:00:00.000Z');
    expect(first!.find('time').text()).toMatch(/2025/);
    expect(second!.find('[data-testid="dead-letter-reason"]').text()).toBe('该主题不在设备协议之内，数据未保存。');
    expect(second!.find('[data-testid="dead-letter-device-id"]').text()).toBe('未知设备');
  });

  it('filters by device', async () => {
    const deadLetters = vi.fn((_deviceId?: string) => Promise.resolve([makeDeadLetter()]));
    const wrapper = mountWith(DeadLettersSection, { state: testState(fakeApi({ deadLetters, devices: vi.fn(() => Promise.resolve([makeDevice()])) })), locale: 'en' });
    await flushPromises();
    expect(wrapper.findAll('datalist option').map((o) => o.attributes('value'))).toEqual(['smoke-101']);
    await wrapper.find('[data-testid="dead-letter-device"]').setValue(' smoke-101 ');
    await wrapper.find('[data-testid="dead-letter-filter"]').trigger('submit');
    await flushPromises();
    expect(deadLetters).toHaveBeenLastCalledWith('smoke-101');
    expect(wrapper.find('h2').text()).toBe('Rejected data of device smoke-101');
    expect(wrapper.find('[data-testid="dead-letter-reason"]').text()).toBe('The device data does not match the contract.');
  });
});
