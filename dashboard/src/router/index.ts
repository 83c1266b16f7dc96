/**
 * Routes. The signed-in frame (ShellView) holds the control room (home for admins and operators), the
 * alert list, incidents, devices, buildings, administration and the community services (care, kiosks,
 * residents' requests, the plan's indicators); the grid worker's phone view has a
 * frame of its own and is home for workers. Charts load lazily (ECharts is large); the screens a
 * control room lives in are bundled, so they keep working when the network drops.
 */
import { createRouter, createWebHistory, type RouterHistory } from 'vue-router';
import type { SessionStore } from '../state/session.ts';
import AdminView from '../views/AdminView.vue';
import AlertsView from '../views/AlertsView.vue';
import BuildingView from '../views/BuildingView.vue';
import CareView from '../views/CareView.vue';
import ControlRoomView from '../views/ControlRoomView.vue';
import DevicesView from '../views/DevicesView.vue';
import IncidentView from '../views/IncidentView.vue';
import IndicatorsView from '../views/IndicatorsView.vue';
import KiosksView from '../views/KiosksView.vue';
import LoginView from '../views/LoginView.vue';
import RequestIntakeView from '../views/RequestIntakeView.vue';
import RequestStatsView from '../views/RequestStatsView.vue';
import RequestsView from '../views/RequestsView.vue';
import RequestView from '../views/RequestView.vue';
import ShellView from '../views/ShellView.vue';
import WorkerView from '../views/WorkerView.vue';

export function createAppRouter(session: SessionStore, history: RouterHistory = createWebHistory()) {
  const router = createRouter({
    history,
    routes: [
      { path: '/login', name: 'login', component: LoginView, meta: { public: true } },
      { path: '/worker', name: 'worker', component: WorkerView },
      {
        path: '/',
        component: ShellView,
        children: [
          { path: '', name: 'control-room', component: ControlRoomView },
          { path: 'alerts', name: 'alerts', component: AlertsView },
          { path: 'incidents/:id', name: 'incident', component: IncidentView, props: true },
          { path: 'devices', name: 'devices', component: DevicesView },
          { path: 'devices/:id', name: 'device', component: () => import('../views/DeviceView.vue'), props: true },
          { path: 'buildings/:id', name: 'building', component: BuildingView, props: true },
          { path: 'admin/:section?', name: 'admin', component: AdminView, props: true },
          // Community services: elderly care, kiosks, residents' requests (接诉即办), the plan's ten indicators.
          { path: 'care', name: 'care', component: CareView },
          { path: 'kiosks', name: 'kiosks', component: KiosksView },
          { path: 'requests', name: 'requests', component: RequestsView },
          { path: 'requests/new', name: 'request-new', component: RequestIntakeView },
          { path: 'requests/stats', name: 'request-stats', component: RequestStatsView },
          { path: 'requests/:id', name: 'request', component: RequestView, props: true },
          { path: 'indicators', name: 'indicators', component: IndicatorsView },
        ],
      },
      { path: '/:pathMatch(.*)*', redirect: '/' },
    ],
  });

  router.beforeEach((to) => {
    const signedIn = session.token() !== null;
    if (!to.meta.public && !signedIn) return { name: 'login', query: to.fullPath === '/' ? {} : { redirect: to.fullPath } };
    if (to.name === 'login' && signedIn) return { path: '/' };
    // A grid worker's home is the phone view.
    if (to.name === 'control-room' && session.user.value?.role === 'worker') return { name: 'worker' };
    return true;
  });

  return router;
}
