import { flushPromises } from '@vue/test-utils';
import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DeviceCreate } from '../../../../../contract/index.ts';
import { ApiError } from '../../../api/client.ts';
import { KINDS, makeProvisioned } from '../../../testing/admin-fixtures.ts';
import { fakeApi, makeDevice, mountWith, testState } from '../../../testing/fixtures.ts';
import DevicesSection from './DevicesSection.vue';

async function mountDevices(overrides: Parameters<typeof fakeApi>[0] = {}) {
  const api = fakeApi({ deviceKinds: vi.fn(() => Promise.resolve(KINDS)), ...overrides });
  const state = testState(api);
  await state.catalogue.loadKinds(api);
  const wrapper = mountWith(DevicesSection, { state });
  await flushPromises();
  return { wrapper, api };
}

describe('DevicesSection', () => {
  const writeText = vi.fn((_text: string) => Promise.resolve());
  beforeEach(() => {
    writeText.mockClear();
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
  });
  afterEach(() => vi.restoreAllMocks());

  it('provisions a device and shows its secret once, with a copy button and a warning', async () => {
    const provisionDevice = vi.fn((_body: DeviceCreate) => Promise.resolve(makeProvisioned({ id: 'dev-new', secret: 's3cret-once-only' })));
    const { wrapper } = await mountDevices({ provisionDevice });
    await wrapper.find('[data-testid="provision-kind"]').setValue('gas_detector');
    await wrapper.find('[data-testid="provision-building"]').setValue('b1');
    await wrapper.find('[data-testid="provision-floor"]').setValue('3');
    await wrapper.find('[data-testid="provision-room"]').setValue(' 301 ');
    await wrapper.find('[data-testid="provision-name"]').setValue('厨房燃气');
    await wrapper.find('[data-testid="provision-form"]').trigger('submit');
    await flushPromises();

    expect(provisionDevice).toHaveBeenCalledWith({
      kind: 'gas_detector',
      communityId: 'c1',
      gridId: 'g1',
      name: '厨房燃气',
      location: { buildingId: 'b1', floor: 3, room: '301' },
      dialect: 'anju',
    });
    expect(wrapper.find('[data-testid="secret-warning"]').text()).toContain('设备密钥只显示这一次');
    const secret = wrapper.find('[data-testid="device-secret"]');
    expect((secret.find('input').element as HTMLInputElement).value).toBe('s3cret-once-only');
    await secret.find('[data-testid="copy-button"]').trigger('click');
    await flushPromises();
    expect(writeText).toHaveBeenCalledWith('s3cret-once-only');
    expect(secret.text()).toContain('已复制');
    await vi.waitFor(() => expect(wrapper.find('[data-testid="mqtt-username"]').exists()).toBe(true));
    expect((wrapper.find('[data-testid="mqtt-username"] input').element as HTMLInputElement).value).toBe('dev-new');
    expect(wrapper.findAll('[data-testid="mqtt-topic"]').map((r) => r.find('code').text())).toContain('anju/v1/devices/dev-new/telemetry');

    // Closed, the secret is gone for good and the form is back.
    await wrapper.find('[data-testid="provisioned-close"]').trigger('click');
    expect(wrapper.html()).not.toContain('s3cret-once-only');
    expect(wrapper.find('[data-testid="provision-form"]').exists()).toBe(true);
  });

  it('shows the ALink credentials and a signed MQTT password for an ALink device', async () => {
    const provisionDevice = vi.fn((body: DeviceCreate) =>
      Promise.resolve(makeProvisioned({ id: 'dev-al', dialect: 'alink', productKey: body.productKey!, deviceName: body.deviceName!, secret: 'alink-secret' })),
    );
    const { wrapper } = await mountDevices({ provisionDevice });
    await wrapper.find('[data-testid="provision-dialect-alink"]').setValue(true);
    await wrapper.find('[data-testid="provision-product-key"]').setValue('a1SmokePk');
    await wrapper.find('[data-testid="provision-device-name"]').setValue('smoke-01');
    await wrapper.find('[data-testid="provision-field-map"]').setValue('aliyun-smoke-detector');
    await wrapper.find('[data-testid="provision-form"]').trigger('submit');
    await flushPromises();

    expect(provisionDevice.mock.calls[0]![0]).toMatchObject({ dialect: 'alink', productKey: 'a1SmokePk', deviceName: 'smoke-01', fieldMap: 'aliyun-smoke-detector' });
    // The signature comes from Web Crypto, which answers outside the microtask queue.
    await vi.waitFor(() => expect(wrapper.find('[data-testid="mqtt-password"]').exists()).toBe(true));
    const value = (label: string) => (wrapper.find(`[data-label="${label}"] input`).element as HTMLInputElement).value;
    expect(value('ProductKey')).toBe('a1SmokePk');
    expect(value('DeviceName')).toBe('smoke-01');
    expect(value('DeviceSecret（设备密钥）')).toBe('alink-secret');
    expect((wrapper.find('[data-testid="mqtt-client-id"] input').element as HTMLInputElement).value).toBe('dev-al|securemode=3,signmethod=hmacsha256|');
    expect((wrapper.find('[data-testid="mqtt-username"] input').element as HTMLInputElement).value).toBe('smoke-01&a1SmokePk');
    const signature = createHmac('sha256', 'alink-secret').update('clientIddev-aldeviceNamesmoke-01productKeya1SmokePk').digest('hex');
    expect((wrapper.find('[data-testid="mqtt-password"] input').element as HTMLInputElement).value).toBe(signature);
    expect(wrapper.findAll('[data-testid="mqtt-topic"]').map((r) => r.find('code').text())).toContain('/sys/a1SmokePk/smoke-01/thing/event/property/post');
  });

  it('shows the API’s message next to the field it names', async () => {
    const provisionDevice = vi.fn(() =>
      Promise.reject(new ApiError(400, 'validation_failed', 'The request is not valid', [{ in: 'body', path: 'deviceName', message: 'productKey and deviceName go together' }])),
    );
    const { wrapper } = await mountDevices({ provisionDevice });
    await wrapper.find('[data-testid="provision-dialect-alink"]').setValue(true);
    await wrapper.find('[data-testid="provision-product-key"]').setValue('a1');
    await wrapper.find('[data-testid="provision-form"]').trigger('submit');
    await flushPromises();
    const input = wrapper.find('[data-testid="provision-device-name"]');
    expect(input.attributes('aria-invalid')).toBe('true');
    const message = wrapper.find(`#${input.attributes('aria-describedby')}`);
    expect(message.text()).toContain('productKey and deviceName go together');
    expect(wrapper.find('[data-testid="provisioned"]').exists()).toBe(false);
  });

  it('switches test mode on a device', async () => {
    const patchDevice = vi.fn((id: string, body: { testMode?: boolean }) => Promise.resolve(makeDevice({ id, testMode: body.testMode ?? false })));
    const { wrapper } = await mountDevices({ devices: vi.fn(() => Promise.resolve([makeDevice({ id: 'd1' })])), patchDevice });
    const toggle = wrapper.find('[data-device-id="d1"] [data-testid="test-mode-switch"]');
    expect((toggle.element as HTMLInputElement).checked).toBe(false);
    await toggle.trigger('change');
    await flushPromises();
    expect(patchDevice).toHaveBeenCalledWith('d1', { testMode: true });
    expect(wrapper.find('[data-device-id="d1"]').text()).toContain('测试中');
  });
});
