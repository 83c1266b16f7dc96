/** Everything the screens share, created once per app (and per test), handed down by provide/inject. */
import { inject, type InjectionKey } from 'vue';
import { createApiClient, type ApiClient } from '../api/client.ts';
import { createSync, type Sync } from '../live/sync.ts';
import { createAlertActions, type AlertActions } from './alert-actions.ts';
import { createAlertStore, type AlertStore } from './alerts.ts';
import { createCatalogue, type Catalogue } from './catalogue.ts';
import { createCommunityStore, type CommunityStore } from './communities.ts';
import { createDeviceStore, type DeviceStore } from './devices.ts';
import { createSession, type SessionStore } from './session.ts';

export interface AppState {
  session: SessionStore;
  api: ApiClient;
  communities: CommunityStore;
  catalogue: Catalogue;
  alerts: AlertStore;
  devices: DeviceStore;
  actions: AlertActions;
  sync: Sync;
}

export interface AppStateOptions {
  storage?: Storage;
  fetch?: typeof fetch;
  /** Called after an authenticated call answered 401 and the session was dropped. */
  onSignedOut?: () => void;
  /** Replaces the HTTP client (tests). */
  api?: ApiClient;
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
  const sync = createSync({ api, alerts, devices, communityId: () => communities.selectedId.value });
  return {
    session,
    api,
    communities,
    catalogue: createCatalogue(),
    alerts,
    devices,
    actions: createAlertActions(api, alerts),
    sync,
  };
}

export const APP_STATE: InjectionKey<AppState> = Symbol('anju.app-state');

export function useAppState(): AppState {
  const state = inject(APP_STATE);
  if (!state) throw new Error('useAppState() needs the app state provided (APP_STATE)');
  return state;
}
