/**
 * Keeps the alert, device and incident stores (and, for admins and operators, the platform alerts) in
 * step with the server: a full re-fetch (`resync`) on every
 * (re)connect and community change, and live events applied in between. Events that arrive while a
 * re-fetch is in flight are held and replayed on top of its answer, so neither side can undo the other.
 */
import { shallowRef } from 'vue';
import type { LiveEvent } from '../../../contract/index.ts';
import type { ApiClient } from '../api/client.ts';
import { levelRank } from '../levels.ts';
import type { AlertStore } from '../state/alerts.ts';
import type { DeviceStore } from '../state/devices.ts';
import type { IncidentStore } from '../state/incidents.ts';
import type { RequestFeed } from '../state/request-feed.ts';
import type { SummaryStore } from '../state/summary.ts';
import { seesSystemAlerts, type SystemAlertStore } from '../state/system-alerts.ts';

/** Active alerts are fetched in full (up to the API's maximum); "all" adds the most recent resolved ones. */
export const ACTIVE_LIMIT = 1000;
export const RECENT_LIMIT = 200;

export interface SyncDeps {
  api: Pick<ApiClient, 'alerts' | 'devices' | 'incidents' | 'systemAlerts'>;
  alerts: AlertStore;
  devices: DeviceStore;
  incidents: IncidentStore;
  systemAlerts: SystemAlertStore;
  summary: SummaryStore;
  /** Residents' requests pushed live, for the pages that list them. */
  requests?: RequestFeed;
  communityId: () => string | null;
  /** The signed-in user's role: platform alerts are fetched only for those who may see them. */
  role: () => string | null;
}

export function createSync(deps: SyncDeps) {
  const { api, alerts, devices, incidents, systemAlerts, summary } = deps;
  const loading = shallowRef(false);
  const error = shallowRef<unknown>(null);
  let generation = 0;
  let held: LiveEvent[] | null = null;

  /** Push handler: only updates state. */
  function applyNow(event: LiveEvent): void {
    const communityId = deps.communityId();
    switch (event.type) {
      case 'alert.raised':
        if (event.alert.communityId !== communityId) return;
        alerts.upsert(event.alert);
        alerts.markFresh(event.alert);
        summary.bump();
        return;
      case 'alert.updated': {
        if (event.alert.communityId !== communityId) return;
        const before = alerts.byId.get(event.alert.id);
        alerts.upsert(event.alert);
        if (before && levelRank(event.alert.level) > levelRank(before.level)) alerts.markFresh(event.alert);
        summary.bump();
        return;
      }
      case 'device.status':
        if (event.device.communityId !== communityId) return;
        devices.upsert(event.device);
        summary.bump();
        return;
      case 'incident.updated':
        if (event.incident.communityId !== communityId) return;
        incidents.upsert(event.incident);
        summary.bump();
        return;
      case 'system.alert':
        systemAlerts.upsert(event.alert);
        return;
      case 'request.updated':
        if (event.request.place.communityId !== communityId) return;
        deps.requests?.publish(event.request);
        return;
      case 'hello':
      case 'ping':
        return;
    }
  }

  function release(): void {
    const pending = held ?? [];
    held = null;
    for (const event of pending) applyNow(event);
  }

  return {
    loading,
    error,
    apply(event: LiveEvent): void {
      if (held) held.push(event);
      else applyNow(event);
    },
    /** Re-fetches alerts, devices and active incidents of the selected community; a newer call supersedes an older one. */
    async resync(): Promise<void> {
      const mine = ++generation;
      const communityId = deps.communityId();
      if (!communityId) {
        held = null;
        alerts.clear();
        devices.clear();
        incidents.clear();
        return;
      }
      held ??= [];
      loading.value = true;
      const withResolved = alerts.filter.value === 'all';
      try {
        const [active, recent, deviceList, incidentList, platformAlerts] = await Promise.all([
          api.alerts({ status: 'active', communityId, limit: ACTIVE_LIMIT }),
          withResolved ? api.alerts({ communityId, limit: RECENT_LIMIT }) : Promise.resolve([]),
          api.devices(communityId),
          api.incidents({ status: 'active', communityId, limit: ACTIVE_LIMIT }),
          // A storage fault must not hide the rest: the platform alerts are best effort.
          seesSystemAlerts(deps.role()) ? api.systemAlerts().catch(() => null) : Promise.resolve(null),
        ]);
        if (mine !== generation) return;
        // `active` last: it is complete and wins over the recent list for the same id.
        alerts.replace([...recent, ...active]);
        devices.replace(deviceList);
        incidents.replace(incidentList);
        if (platformAlerts) systemAlerts.replace(platformAlerts);
        summary.bump();
        deps.requests?.resynced();
        error.value = null;
        release();
      } catch (failure) {
        if (mine !== generation) return;
        error.value = failure;
        release();
      } finally {
        if (mine === generation) loading.value = false;
      }
    },
  };
}

export type Sync = ReturnType<typeof createSync>;
