/**
 * Turns rule signals into alerts (one open alert per rule and device), addresses each to the workers
 * of the device's grid, and tells the live stream. Signals are handled one at a time, in order.
 */
import type { Alert, AlertResolveBody } from '../../contract/index.ts';
import type { Principal } from '../auth/principal.ts';
import type { Clock } from '../clock.ts';
import { ApiError } from '../errors.ts';
import type { LiveHub } from '../live/hub.ts';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../metrics.ts';
import type { RuleSignal } from '../rules/signals.ts';
import type { AlertStore } from '../store/alerts.ts';
import type { DeviceStore } from '../store/devices.ts';
import type { PeopleStore } from '../store/people.ts';
import type { AlertAction } from './lifecycle.ts';

export interface AlertServiceDeps {
  alerts: AlertStore;
  devices: DeviceStore;
  people: PeopleStore;
  live: LiveHub;
  metrics: Metrics;
  clock: Clock;
  logger: Logger;
}

export class AlertService {
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly deps: AlertServiceDeps) {}

  /** Queues signals; they are applied in order. Failures are logged and retried once. */
  handle(signals: RuleSignal[]): Promise<void> {
    if (!signals.length) return this.chain;
    this.chain = this.chain.then(async () => {
      for (const signal of signals) {
        try {
          await this.apply(signal);
        } catch (error) {
          this.deps.logger.error({ err: error, signal }, 'could not apply a rule signal; retrying once');
          await new Promise((resolve) => setTimeout(resolve, 200));
          await this.apply(signal).catch((err: unknown) => this.deps.logger.error({ err, signal }, 'rule signal lost'));
        }
      }
    });
    return this.chain;
  }

  /** Resolves once every signal queued so far has been applied. */
  idle(): Promise<void> {
    return this.chain;
  }

  private async apply(signal: RuleSignal): Promise<void> {
    const { alerts, devices, people, live, metrics } = this.deps;
    if (signal.type === 'clear') {
      const alert = await alerts.clear(signal.ruleId, signal.deviceId, signal.at);
      if (alert) live.publish({ type: 'alert.updated', alert }, alert);
      return;
    }
    const device = await devices.getRow(signal.deviceId);
    if (!device) return;
    const assignees = await people.recipientsFor(device.community_id, device.grid_id);
    const outcome = await alerts.raise({
      ruleId: signal.ruleId,
      title: signal.title,
      level: signal.level,
      value: signal.value,
      at: signal.at,
      device: { id: device.id, kind: device.kind, communityId: device.community_id, gridId: device.grid_id, buildingId: device.building_id, location: device.location },
      assignees,
      source: signal.source,
    });
    if (!outcome) return;
    const { alert, change } = outcome;
    if (change !== 'repeated') metrics.alertsRaised.inc({ level: alert.level });
    this.deps.logger.info({ alertId: alert.id, rule: alert.rule, deviceId: alert.deviceId, level: alert.level, change, assignees: assignees.map((a) => a.workerId) }, 'alert');
    live.publish({ type: change === 'raised' ? 'alert.raised' : 'alert.updated', alert }, alert);
  }

  async transition(principal: Principal, id: string, action: AlertAction, body: { note?: string } & Partial<AlertResolveBody>, source: string | null): Promise<Alert> {
    const { alerts, live, clock } = this.deps;
    const outcome = await alerts.transition(id, action, { id: principal.userId, name: principal.displayName, source }, clock.now(), body);
    if ('error' in outcome) {
      if (outcome.error === 'not_found') throw new ApiError('not_found');
      throw new ApiError('invalid_transition', { status: outcome.status, action });
    }
    live.publish({ type: 'alert.updated', alert: outcome.alert }, outcome.alert);
    return outcome.alert;
  }
}
