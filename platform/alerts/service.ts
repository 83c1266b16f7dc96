/**
 * Turns rule signals into alerts (one open alert per rule and device), alerts into incidents, and
 * incidents into dispatch — each signal in one transaction, so an alert, its incident, its notifications
 * and its timers commit together. After the commit, the live stream hears of it and the outbox delivers.
 */
import type pg from 'pg';
import type { Alert, AlertResolveBody } from '../../contract/index.ts';
import type { Principal } from '../auth/principal.ts';
import type { Clock } from '../clock.ts';
import { type Database, inTransaction, isTransientDbError, waitForDbRetry } from '../db/database.ts';
import type { BroadcastService } from '../dispatch/broadcast.ts';
import type { Correlator } from '../dispatch/correlator.ts';
import { afterCommit, type AfterCommit, type Dispatcher } from '../dispatch/dispatcher.ts';
import type { OutboxPort } from '../dispatch/outbox-port.ts';
import type { PolicyStore } from '../dispatch/policy.ts';
import { ApiError } from '../errors.ts';
import type { LiveHub } from '../live/hub.ts';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../metrics.ts';
import type { RuleSignal } from '../rules/signals.ts';
import type { AlertStore } from '../store/alerts.ts';
import { toDevice, type DeviceStore } from '../store/devices.ts';
import type { MaintenanceStore } from '../store/maintenance.ts';
import type { AlertAction, PersonAction } from './lifecycle.ts';

export interface AlertServiceDeps {
  db: Database;
  alerts: AlertStore;
  devices: DeviceStore;
  maintenance: MaintenanceStore;
  correlator: Correlator;
  dispatcher: Dispatcher;
  policy: PolicyStore;
  broadcasts: BroadcastService;
  outbox: OutboxPort;
  live: LiveHub;
  metrics: Metrics;
  clock: Clock;
  logger: Logger;
  /** Announces a raise while the database is down (live stream and direct pages). */
  degraded?: { announce(signal: Extract<RuleSignal, { type: 'raise' }>): Promise<void> };
  /** Told of alerts raised, cleared and moved, inside the alert's transaction (kiosk work orders). */
  observers?: AlertObserver[];
}

/**
 * Follows alerts inside their own transaction, so that what it records commits with the alert. Each
 * call runs under a savepoint: an observer that fails is logged and undone, never the alert.
 */
export interface AlertObserver {
  /** Whether the alert concerns the observer at all: others cost the alert path nothing. */
  concerns(alert: Alert): boolean;
  raised?(client: pg.PoolClient, alert: Alert, change: 'raised' | 'repeated' | 'level_raised', at: number, after: AfterCommit): Promise<void>;
  cleared?(client: pg.PoolClient, alert: Alert, at: number, after: AfterCommit): Promise<void>;
  transitioned?(client: pg.PoolClient, alert: Alert, action: AlertAction, actor: { id: string; name: string; source: string | null }, at: number, note: string | null): Promise<void>;
}

export class AlertService {
  private chain: Promise<void> = Promise.resolve();
  /** Set when applying a signal met an unreachable database, cleared when one is applied again. */
  private storageDown = false;
  private readonly announced = new WeakSet<RuleSignal>();

  constructor(private readonly deps: AlertServiceDeps) {}

  /**
   * Queues signals; they are applied in order, each in its own transaction. While the database is
   * unreachable a signal is retried until it is back (the journal keeps its source meanwhile), and a raise
   * is announced at once as provisional, so the control room and the people on duty hear of it anyway.
   * Any other failure is logged and retried once.
   */
  handle(signals: RuleSignal[]): Promise<void> {
    if (!signals.length) return this.chain;
    // Signals queue behind whatever waits for the database; a raise is announced without waiting its turn.
    if (this.storageDown) for (const signal of signals) if (signal.type === 'raise') void this.announce(signal);
    this.chain = this.chain.then(async () => {
      for (const signal of signals) await this.applyWithRetry(signal);
    });
    return this.chain;
  }

  private async applyWithRetry(signal: RuleSignal): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.applyAndPublish(signal);
        this.storageDown = false;
        return;
      } catch (error) {
        if (isTransientDbError(error)) {
          this.storageDown = true;
          if (signal.type === 'raise') await this.announce(signal);
          if (attempt % 10 === 0) this.deps.logger.warn({ err: error instanceof Error ? error.message : error, signal: signal.type, deviceId: signal.deviceId }, 'database unavailable; the signal waits for it');
          await waitForDbRetry(attempt);
          continue;
        }
        if (attempt >= 1) {
          this.deps.logger.error({ err: error, signal }, 'rule signal could not be applied');
          return;
        }
        this.deps.logger.error({ err: error, signal }, 'could not apply a rule signal; retrying once');
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  }

  /** Once per raise: a provisional alert and direct pages while the database cannot record it. */
  private async announce(signal: Extract<RuleSignal, { type: 'raise' }>): Promise<void> {
    if (this.announced.has(signal)) return;
    this.announced.add(signal);
    await this.deps.degraded?.announce(signal).catch((err: unknown) => this.deps.logger.error({ err }, 'could not announce a provisional alert'));
  }

  /** Resolves once every signal queued so far has been applied. */
  idle(): Promise<void> {
    return this.chain;
  }

  private async applyAndPublish(signal: RuleSignal): Promise<void> {
    const after = afterCommit();
    await inTransaction(this.deps.db, (client) => this.apply(client, signal, after));
    await this.publish(after);
  }

  /** Applies one signal inside the caller's transaction (timers apply theirs in the transaction that fires them). */
  async apply(client: pg.PoolClient, signal: RuleSignal, after: AfterCommit): Promise<void> {
    const { alerts, devices, maintenance, correlator, dispatcher, policy, metrics, logger } = this.deps;
    if (signal.type === 'faulty') {
      await devices.setFaulty(signal.deviceId, signal.faulty, signal.at, client);
      logger.warn({ deviceId: signal.deviceId, faulty: signal.faulty }, signal.faulty ? 'device flapping: flagged faulty' : 'device no longer flapping');
      return;
    }
    if (signal.type === 'clear') {
      const alert = await alerts.clear(client, signal.ruleId, signal.deviceId, signal.at);
      if (!alert) return;
      after.alerts.set(alert.id, alert);
      await this.observe(client, alert, (o) => o.cleared?.(client, alert, signal.at, after));
      if (signal.cancelWithinS && signal.at - Date.parse(alert.raisedAt) <= signal.cancelWithinS * 1000) await this.cancel(client, alert, signal.at, after);
      return;
    }
    const device = await devices.getRow(signal.deviceId);
    if (!device) return;
    const place = { id: device.id, communityId: device.community_id, buildingId: device.building_id };
    const suppressed = device.test_mode ? 'test_mode' : (await maintenance.covers(client, place, signal.at)) ? 'maintenance' : null;
    const outcome = await alerts.raise(client, {
      ruleId: signal.ruleId,
      title: signal.title,
      category: signal.category,
      level: signal.level,
      value: signal.value,
      at: signal.at,
      device: { id: device.id, kind: device.kind, communityId: device.community_id, gridId: device.grid_id, buildingId: device.building_id, location: device.location },
      test: device.test_mode,
      suppressed,
      source: signal.source,
    });
    if (!outcome) return;
    const { alert, change } = outcome;
    if (change !== 'repeated') metrics.alertsRaised.inc({ level: alert.level });
    const correlation = await correlator.attach(client, alert, { faulty: device.faulty_since !== null, at: signal.at, policy: policy.get() });
    const attached = await alerts.attachToIncident(client, alert.id, correlation.incident.id, correlation.incident.assignees);
    const incident = await dispatcher.onAlert(client, correlation.incident, attached, correlation.change, signal.at, after);
    if (!after.alerts.has(attached.id)) after.alerts.set(attached.id, (await alerts.get(attached.id, client)) ?? attached);
    const observed = after.alerts.get(attached.id)!;
    await this.observe(client, observed, (o) => o.raised?.(client, observed, change, signal.at, after));
    logger.info({ alertId: alert.id, incidentId: incident.id, rule: alert.rule, deviceId: alert.deviceId, level: alert.level, change, incident: correlation.change, suppressed }, 'alert');
    if (change === 'raised') after.raised.add(alert.id);
    for (const planned of after.broadcast.splice(0)) {
      const message = await this.deps.broadcasts.plan(client, planned, policy.get());
      if (message) after.broadcasts.push(message);
    }
  }

  /** The resident cancelled a fresh call: resolved as a false alarm, escalation stopped, those paged told. */
  private async cancel(client: pg.PoolClient, alert: Alert, at: number, after: AfterCommit): Promise<void> {
    const actor = { id: 'resident', name: 'resident (cancel on the device)', source: `device ${alert.deviceId}` };
    const outcome = await this.deps.alerts.transition(client, alert.id, 'cancel', actor, at, { disposition: 'false_alarm', note: 'cancelled by the resident' });
    if ('error' in outcome) return;
    await this.deps.dispatcher.onAlertTransition(client, outcome.alert, 'resolve', actor, at, after);
    await this.deps.dispatcher.cancelled(client, outcome.alert, at, after);
    after.alerts.set(outcome.alert.id, outcome.alert);
    this.deps.logger.info({ alertId: alert.id, deviceId: alert.deviceId }, 'call cancelled by the resident');
  }

  /** After the commit: live events, the outbox, broadcasts. */
  async publish(after: AfterCommit): Promise<void> {
    const { live, outbox, broadcasts } = this.deps;
    for (const alert of after.alerts.values()) live.publish({ type: after.raised.has(alert.id) ? 'alert.raised' : 'alert.updated', alert }, alert);
    for (const incident of after.incidents.values()) live.publish({ type: 'incident.updated', incident }, incident);
    if (after.notified) outbox.kick();
    for (const message of after.broadcasts) await broadcasts.publish(message);
  }

  async transition(principal: Principal, id: string, action: PersonAction, body: { note?: string } & Partial<AlertResolveBody>, source: string | null): Promise<Alert> {
    const { alerts, dispatcher, clock } = this.deps;
    const after = afterCommit();
    const now = clock.now();
    const alert = await inTransaction(this.deps.db, async (client) => {
      const outcome = await alerts.transition(client, id, action, { id: principal.userId, name: principal.displayName, source }, now, body);
      if ('error' in outcome) {
        if (outcome.error === 'not_found') throw new ApiError('not_found');
        throw new ApiError('invalid_transition', { status: outcome.status, action });
      }
      await dispatcher.onAlertTransition(client, outcome.alert, action, { id: principal.userId, name: principal.displayName }, now, after);
      await this.observe(client, outcome.alert, (o) => o.transitioned?.(client, outcome.alert, action, { id: principal.userId, name: principal.displayName, source }, now, body.note ?? null));
      return outcome.alert;
    });
    after.alerts.set(alert.id, alert);
    await this.publish(after);
    return alert;
  }

  private async observe(client: pg.PoolClient, alert: Alert, call: (observer: AlertObserver) => Promise<void> | undefined): Promise<void> {
    for (const observer of this.deps.observers ?? []) {
      if (!observer.concerns(alert)) continue;
      await client.query('SAVEPOINT alert_observer');
      try {
        await call(observer);
        await client.query('RELEASE SAVEPOINT alert_observer');
      } catch (error) {
        if (isTransientDbError(error)) throw error;
        await client.query('ROLLBACK TO SAVEPOINT alert_observer');
        this.deps.logger.error({ err: error, alertId: alert.id, rule: alert.rule }, 'an alert observer failed; the alert stands');
      }
    }
  }

  /** The live device record, for a device.status event after it changed (faulty, test mode). */
  async deviceSnapshot(deviceId: string) {
    const row = await this.deps.devices.getRow(deviceId);
    return row && toDevice(row);
  }
}
