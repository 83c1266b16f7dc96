/** Everything the screens share, created once per app (and per test), handed down by provide/inject. */
import { inject, type InjectionKey } from 'vue';
import { createApiClient, type ApiClient } from '../api/client.ts';
import { createSync, type Sync } from '../live/sync.ts';
import { createAlertActions, type AlertActions } from './alert-actions.ts';
import { createAlarm, type Alarm, type AlarmOptions } from './alarm.ts';
import { createAlertStore, type AlertStore } from './alerts.ts';
import { createCatalogue, type Catalogue } from './catalogue.ts';
import { createCommunityStore, type CommunityStore } from './communities.ts';
import { createDeviceStore, type DeviceStore } from './devices.ts';
import { createIncidentStore, type IncidentStore } from './incidents.ts';
import { createPageTitle, type PageTitle } from './page-title.ts';
import { createRequestFeed, type RequestFeed } from './request-feed.ts';
import { createSession, type SessionStore } from './session.ts';
import { createSummaryStore, type SummaryStore } from './summary.ts';
import { createSystemAlertStore, type SystemAlertStore } from './system-alerts.ts';

export interface AppState {
  session: SessionStore;
  api: ApiClient;
  communities: CommunityStore;
  catalogue: Catalogue;
  alerts: AlertStore;
  devices: DeviceStore;
  incidents: IncidentStore;
  systemAlerts: SystemAlertStore;
  summary: SummaryStore;
  requests: RequestFeed;
  actions: AlertActions;
  alarm: Alarm;
  /** The current page's name for the tab title (state/page-title.ts). */
  pageTitle: PageTitle;
  sync: Sync;
}

export interface AppStateOptions {
  storage?: Storage;
  fetch?: typeof fetch;
  /** Called after an authenticated call answered 401 and the session was dropped. */
  onSignedOut?: () => void;
  /** Replaces the HTTP client (tests). */
  api?: ApiClient;
  /** Replaces the red-alert sound's audio context (tests). */
  audio?: AlarmOptions['audio'];
}

export function createAppState(options: AppStateOptions = {}): AppState {
  const session = createSession(options.storage ?? globalThis.localStorage);
  const api =
    options.api ??
    createApiClient({
      getToken: () => session.token(),
      onUnauthorized: () => {
        session.signOut();
        options.onSignedOut?.();
      },
      fetch: options.fetch,
    });
  const communities = createCommunityStore(options.storage ?? globalThis.localStorage);
  const alerts = createAlertStore();
  const devices = createDeviceStore();
  const incidents = createIncidentStore();
  const systemAlerts = createSystemAlertStore();
  const summary = createSummaryStore();
  const requests = createRequestFeed();
  const sync = createSync({
    api,
    alerts,
    devices,
    incidents,
    systemAlerts,
    summary,
    requests,
    communityId: () => communities.selectedId.value,
    role: () => session.user.value?.role ?? null,
  });
  return {
    session,
    api,
    communities,
    catalogue: createCatalogue(),
    alerts,
    devices,
    incidents,
    systemAlerts,
    summary,
    requests,
    actions: createAlertActions(api, alerts),
    alarm: createAlarm({ storage: options.storage ?? globalThis.localStorage, audio: options.audio }),
    pageTitle: createPageTitle(),
    sync,
  };
}

export const APP_STATE: InjectionKey<AppState> = Symbol('anju.app-state');

export function useAppState(): AppState {
  const state = inject(APP_STATE);
  if (!state) throw new Error('useAppState() needs the app state provided (APP_STATE)');
  return state;
}
