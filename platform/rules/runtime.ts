/**
 * The rules at work: loads the rule set (seeding the defaults), evaluates journal batches, persists the
 * timers rules ask for, fires due timers — rule timers and dispatch timers alike — each in the
 * transaction that applies its effect, and sweeps for silent devices.
 */
import type pg from 'pg';
import type { JournalEntry } from '../../gateway/journal/ingest-journal.ts';
import type { AlertService } from '../alerts/service.ts';
import type { Clock } from '../clock.ts';
import { isTransientDbError, waitForDbRetry } from '../db/database.ts';
import { afterCommit, type Dispatcher } from '../dispatch/dispatcher.ts';
import type { Logger } from '../logger.ts';
import type { DeviceStore } from '../store/devices.ts';
import type { Timer, TimerStore } from '../store/timers.ts';
import type { DeviceRuleParams, Evaluation, Lane, RuleEngine } from './engine.ts';
import type { RuleStore } from './rule-store.ts';
import type { RuleSignal } from './signals.ts';

export interface RuleRuntimeDeps {
  store: RuleStore;
  engine: RuleEngine;
  timers: TimerStore;
  devices: DeviceStore;
  alertService: AlertService;
  dispatcher: Dispatcher;
  clock: Clock;
  logger: Logger;
}

/** Fires a timer of a kind another part of the platform owns, in the timer's transaction; may answer what to announce after the commit. */
export type TimerHandler = (timer: Timer, client: pg.PoolClient, now: number) => Promise<(() => Promise<void>) | void>;

export class RuleRuntime {
  private readonly handlers = new Map<string, TimerHandler>();

  constructor(private readonly deps: RuleRuntimeDeps) {}

  /** Timer kinds owned elsewhere (e.g. residents' requests) are fired in the same loop as the rules' and dispatch's. */
  handleTimers(kind: string, handler: TimerHandler): void {
    this.handlers.set(kind, handler);
  }

  async start(startedAt: number, openAlerts: Parameters<RuleEngine['restore']>[0]): Promise<void> {
    const { store, engine, devices } = this.deps;
    await store.seed(startedAt);
    engine.setRules(await store.ruleSet());
    for (const d of await devices.lastActivity()) engine.track(d.id, d.kind, Math.max(d.lastSeen ?? d.createdAt, startedAt), d.ruleParams, d.faulty);
    engine.restore(openAlerts);
  }

  async reload(): Promise<void> {
    this.deps.engine.setRules(await this.deps.store.ruleSet());
  }

  /** Evaluates messages with one lane's rules; timers are persisted before the signals are applied. */
  async evaluate(entries: JournalEntry[], journalId: string, afterSeq: number, lane?: Lane): Promise<void> {
    const { engine, alertService, logger } = this.deps;
    const signals: RuleSignal[] = [];
    const changes: Evaluation['timers'] = [];
    for (const { seq, kind, message } of entries) {
      if (seq <= afterSeq) continue;
      try {
        const out = engine.evaluate(message, kind, lane);
        for (const signal of out.signals) signals.push(signal.type === 'raise' ? { ...signal, source: { journalId, seq } } : signal);
        changes.push(...out.timers);
      } catch (error) {
        logger.error({ err: error, deviceId: message.deviceId }, 'rule evaluation failed');
      }
    }
    // Alarms go first: they must not wait for the timers while the database is down.
    const applied = alertService.handle(signals);
    await this.persistTimers(changes);
    await applied;
  }

  /** Timers wait out a database outage: the entries that set them are not released meanwhile. */
  private async persistTimers(changes: Evaluation['timers']): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.deps.timers.apply(changes);
      } catch (error) {
        if (!isTransientDbError(error)) throw error;
        await waitForDbRetry(attempt);
      }
    }
  }

  async setDeviceParams(deviceId: string, kind: string, params: DeviceRuleParams): Promise<void> {
    await this.deps.timers.apply(this.deps.engine.setParams(deviceId, kind, params, this.deps.clock.now()));
  }

  /** Fires every due timer, each in its own transaction with its effect. */
  async fireTimers(): Promise<number> {
    const now = this.deps.clock.now();
    return this.deps.timers.fireDue(now, (timer, client) => this.onTimer(timer, client, now));
  }

  private async onTimer(timer: Timer, client: pg.PoolClient, now: number): Promise<() => Promise<void>> {
    const { engine, dispatcher, alertService, devices, timers } = this.deps;
    const after = afterCommit();
    const payload = timer.payload as { ruleId?: string; deviceId?: string; incidentId?: string; stage?: number };
    let evaluation: Evaluation | undefined;
    switch (timer.kind) {
      case 'threshold': {
        const rule = engine.ruleSet.get(payload.ruleId ?? '');
        const metric = rule?.condition.type === 'threshold' ? rule.condition.metric : undefined;
        const latest = metric ? await devices.latestValue(payload.deviceId!, metric) : undefined;
        evaluation = engine.thresholdDue(payload.ruleId!, payload.deviceId!, now, latest);
        break;
      }
      case 'absence':
        evaluation = engine.absenceDue(payload.ruleId!, payload.deviceId!, now);
        break;
      case 'unflap':
        evaluation = engine.unflapDue(payload.deviceId!, now);
        break;
      case 'escalate':
        await dispatcher.escalate(client, payload.incidentId!, payload.stage!, now, after);
        break;
      case 'remind':
        await dispatcher.remind(client, payload.incidentId!, now, after);
        break;
      case 'onsite':
        await dispatcher.onSiteOverdue(client, payload.incidentId!, now, after);
        break;
      default: {
        const handler = this.handlers.get(timer.kind);
        if (handler) return (await handler(timer, client, now)) ?? (async () => undefined);
        this.deps.logger.warn({ timer }, 'unknown timer kind; dropped');
      }
    }
    if (evaluation) {
      await timers.apply(evaluation.timers, client);
      for (const signal of evaluation.signals) await alertService.apply(client, signal, after);
    }
    return () => alertService.publish(after);
  }

  /** Devices gone silent. */
  async sweep(): Promise<void> {
    await this.deps.alertService.handle(this.deps.engine.sweep(this.deps.clock.now()));
  }
}
