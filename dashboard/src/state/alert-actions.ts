/**
 * The lifecycle steps a user takes on an alert: one request at a time per alert, the answer merged
 * into the store, and a translated error kept per alert. On 409 the alert is re-read, since
 * someone else has moved it on.
 */
import { shallowReactive } from 'vue';
import type { Alert, AlertResolveBody } from '../../../contract/index.ts';
import { ApiError, type ApiClient } from '../api/client.ts';
import type { AlertStep } from '../lifecycle.ts';
import type { AlertStore } from './alerts.ts';

export function createAlertActions(api: ApiClient, alerts: AlertStore) {
  const busy = shallowReactive(new Set<string>());
  const errors = shallowReactive(new Map<string, unknown>());

  async function refresh(id: string) {
    try {
      const { history: _history, ...alert } = await api.alert(id);
      alerts.upsert(alert);
    } catch {
      // the live stream or the next resync will bring it
    }
  }

  function send(alert: Alert, step: AlertStep, resolution?: AlertResolveBody): Promise<Alert> {
    switch (step) {
      case 'acknowledge':
        return api.acknowledge(alert.id);
      case 'on_site':
        return api.onSite(alert.id);
      case 'resolve':
        if (!resolution) throw new Error('resolve needs a disposition');
        return api.resolve(alert.id, resolution);
    }
  }

  return {
    busy,
    errors,
    async run(alert: Alert, step: AlertStep, resolution?: AlertResolveBody): Promise<boolean> {
      if (busy.has(alert.id)) return false;
      busy.add(alert.id);
      errors.delete(alert.id);
      try {
        alerts.upsertIfNewer(await send(alert, step, resolution));
        return true;
      } catch (error) {
        errors.set(alert.id, error);
        if (error instanceof ApiError && error.code === 'invalid_transition') await refresh(alert.id);
        return false;
      } finally {
        busy.delete(alert.id);
      }
    },
    dismissError(id: string) {
      errors.delete(id);
    },
  };
}

export type AlertActions = ReturnType<typeof createAlertActions>;
