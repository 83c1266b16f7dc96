import { flushPromises, mount } from '@vue/test-utils';
import { describe, expect, it, vi } from 'vitest';
import { createMemoryHistory } from 'vue-router';
import { ApiError } from '../api/client.ts';
import { createAppI18n } from '../i18n/index.ts';
import { createAppRouter } from '../router/index.ts';
import { APP_STATE } from '../state/app-state.ts';
import { fakeApi, makeUser, testState } from '../testing/fixtures.ts';
import LoginView from './LoginView.vue';

async function mountLogin(login: ReturnType<typeof vi.fn>, locale: 'zh-CN' | 'en' = 'zh-CN') {
  const state = testState(fakeApi({ login: login as never }), null);
  const router = createAppRouter(state.session, createMemoryHistory());
  await router.push('/login?redirect=/devices');
  const wrapper = mount(LoginView, { global: { plugins: [createAppI18n(locale), router], provide: { [APP_STATE as symbol]: state } } });
  return { wrapper, state, router };
}

describe('LoginView', () => {
  it('has labelled fields and signs in, then goes where the user was headed', async () => {
    const login = vi.fn(() => Promise.resolve({ token: 'tok', user: makeUser() }));
    const { wrapper, state, router } = await mountLogin(login);
    const user = wrapper.find('[data-testid="login-username"]');
    expect(wrapper.find(`label[for="${user.attributes('id')}"]`).text()).toBe('用户名');
    await user.setValue(' op ');
    await wrapper.find('[data-testid="login-password"]').setValue('secret-pass');
    await wrapper.find('[data-testid="login-form"]').trigger('submit');
    await flushPromises();
    expect(login).toHaveBeenCalledWith({ username: 'op', password: 'secret-pass' });
    expect(state.session.token()).toBe('tok');
    expect(router.currentRoute.value.fullPath).toBe('/devices');
  });

  it('shows the translated reason on wrong credentials and stays signed out', async () => {
    const login = vi.fn(() => Promise.reject(new ApiError(401, 'invalid_credentials', 'The username or password is wrong.')));
    const { wrapper, state, router } = await mountLogin(login, 'en');
    await wrapper.find('[data-testid="login-username"]').setValue('op');
    await wrapper.find('[data-testid="login-password"]').setValue('nope');
    await wrapper.find('[data-testid="login-submit"]').trigger('submit');
    await flushPromises();
    expect(wrapper.find('[data-testid="login-error"]').text()).toBe('The username or password is wrong.');
    expect(state.session.token()).toBeNull();
    expect(router.currentRoute.value.name).toBe('login');
  });

  it('explains throttling after repeated failures', async () => {
    const login = vi.fn(() => Promise.reject(new ApiError(429, 'too_many_attempts', 'Too many failed sign-ins')));
    const { wrapper } = await mountLogin(login);
    await wrapper.find('[data-testid="login-username"]').setValue('op');
    await wrapper.find('[data-testid="login-password"]').setValue('x');
    await wrapper.find('[data-testid="login-form"]').trigger('submit');
    await flushPromises();
    expect(wrapper.find('[data-testid="login-error"]').text()).toBe('登录失败次数过多，请稍后再试。');
  });
});
