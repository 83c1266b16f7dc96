/** Routes: the sign-in page, and the signed-in frame with the alert list (home) and the device list. */
import { createRouter, createWebHistory, type RouterHistory } from 'vue-router';
import type { SessionStore } from '../state/session.ts';
import AlertsView from '../views/AlertsView.vue';
import DevicesView from '../views/DevicesView.vue';
import LoginView from '../views/LoginView.vue';
import ShellView from '../views/ShellView.vue';

// Views are bundled with the app, not loaded lazily: a control-room screen must keep working when the
// network drops, and the whole dashboard is small.

export function createAppRouter(session: SessionStore, history: RouterHistory = createWebHistory()) {
  const router = createRouter({
    history,
    routes: [
      { path: '/login', name: 'login', component: LoginView, meta: { public: true } },
      {
        path: '/',
        component: ShellView,
        children: [
          { path: '', name: 'alerts', component: AlertsView },
          { path: 'devices', name: 'devices', component: DevicesView },
        ],
      },
      { path: '/:pathMatch(.*)*', redirect: '/' },
    ],
  });

  router.beforeEach((to) => {
    const signedIn = session.token() !== null;
    if (!to.meta.public && !signedIn) return { name: 'login', query: to.fullPath === '/' ? {} : { redirect: to.fullPath } };
    if (to.name === 'login' && signedIn) return { path: '/' };
    return true;
  });

  return router;
}
