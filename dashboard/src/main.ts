/** Entry: app state, i18n (zh-CN by default), router; then mount. */
import { createApp } from 'vue';
import App from './App.vue';
import { createAppI18n, rememberLocale, storedLocale } from './i18n/index.ts';
import { createAppRouter } from './router/index.ts';
import { APP_STATE, createAppState } from './state/app-state.ts';
import './styles.css';

const locale = storedLocale();
rememberLocale(locale);

let router: ReturnType<typeof createAppRouter> | undefined;
const state = createAppState({
  onSignedOut: () => {
    void router?.replace({ name: 'login', query: { redirect: router.currentRoute.value.fullPath } });
  },
});
router = createAppRouter(state.session);

createApp(App).provide(APP_STATE, state).use(createAppI18n(locale)).use(router).mount('#app');
