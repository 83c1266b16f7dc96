/**
 * The platform's side of the ingest path: what the gateway accepted is stored in batches, then
 * evaluated by the rules; rejections become dead letters; presence becomes device state. Every
 * outcome is counted in /metrics.
 */
import { ERROR_CATALOGUE } from '../contract/index.ts';
import type { DeviceInfo } from '../gateway/device-info.ts';
import type { GatewayListener, RejectedMessage } from '../gateway/gateway.ts';
import type { NormalisedEvent, NormalisedMessage, NormalisedTelemetry } from '../gateway/ingest/message.ts';
import type { AlertService } from './alerts/service.ts';
import { BatchQueue } from './batch-queue.ts';
import type { Clock } from './clock.ts';
import type { DeviceLiveState } from './devices/live-state.ts';
import type { LiveHub } from './live/hub.ts';
import type { Logger } from './logger.ts';
import type { Metrics } from './metrics.ts';
import type { RuleEngine } from './rules/engine.ts';
import type { RuleSignal } from './rules/signals.ts';
import type { DeadLetterStore, NewDeadLetter } from './store/dead-letters.ts';
import { toDevice, type DeviceStore } from './store/devices.ts';
import type { TelemetrySink } from './telemetry/sink.ts';

interface Queued {
  message: NormalisedMessage;
  kind: string;
}

export interface IngestConsumerDeps {
  sinks: { primary: TelemetrySink; secondary: TelemetrySink[] };
  engine: RuleEngine;
  alertService: AlertService;
  deviceState: DeviceLiveState;
  devices: DeviceStore;
  deadLetters: DeadLetterStore;
  live: LiveHub;
  metrics: Metrics;
  clock: Clock;
  logger: Logger;
}

export class IngestConsumer implements GatewayListener {
  private readonly ingest: BatchQueue<Queued>;
  private readonly rejects: BatchQueue<NewDeadLetter>;
  private readonly pendingPresence = new Set<Promise<void>>();

  constructor(private readonly deps: IngestConsumerDeps) {
    const { metrics, logger } = deps;
    this.ingest = new BatchQueue<Queued>({
      name: 'ingest',
      logger,
      maxBatch: 2000,
      delayMs: 2,
      write: (batch) => this.storeThenEvaluate(batch),
      onWriteError: () => metrics.storeFailures.inc({ sink: deps.sinks.primary.name }),
      onLengthChange: (n) => metrics.ingestQueue.set(n),
      // Under a long outage, give up the oldest telemetry first; events (alarms) are kept.
      shed: (queue) => {
        const i = queue.findIndex((q) => q.message.type === 'telemetry');
        queue.splice(i === -1 ? 0 : i, 1);
        metrics.messagesRejected.inc({ reason: 'shed_under_backlog' });
      },
    });
    this.rejects = new BatchQueue<NewDeadLetter>({
      name: 'dead-letters',
      logger,
      maxBatch: 500,
      delayMs: 20,
      maxQueued: 10_000,
      write: (letters) => deps.deadLetters.insert(letters),
    });
  }

  private async storeThenEvaluate(batch: Queued[]): Promise<void> {
    const { sinks, engine, alertService, metrics, clock, logger } = this.deps;
    const readings: NormalisedTelemetry[] = [];
    const events: NormalisedEvent[] = [];
    for (const { message } of batch) {
      if (message.type === 'telemetry') readings.push(message);
      else events.push(message);
    }
    await sinks.primary.write({ readings, events });
    for (const sink of sinks.secondary) {
      sink.write({ readings, events }).catch((err: unknown) => {
        metrics.storeFailures.inc({ sink: sink.name });
        logger.warn({ err: err instanceof Error ? err.message : err, sink: sink.name }, 'secondary telemetry sink failed');
      });
    }
    const signals: RuleSignal[] = [];
    for (const { message, kind } of batch) {
      try {
        signals.push(...engine.evaluate(message, kind));
      } catch (error) {
        logger.error({ err: error, deviceId: message.deviceId }, 'rule evaluation failed');
      }
    }
    const now = clock.now();
    for (const { message } of batch) metrics.ingestLatency.observe(Math.max(0, now - message.receivedAt) / 1000);
    void alertService.handle(signals);
  }

  accepted(message: NormalisedMessage, device: DeviceInfo): void {
    this.deps.metrics.messagesAccepted.inc({ channel: message.type, kind: device.kind });
    const battery = message.type === 'telemetry' ? message.values.battery : undefined;
    if (this.deps.deviceState.seen(device.id, message.receivedAt, battery)) void this.publishDevice(device.id);
    this.ingest.push({ message, kind: device.kind });
  }

  rejected(r: RejectedMessage): void {
    this.deps.metrics.messagesRejected.inc({ reason: r.rejection.code });
    this.deps.logger.info({ deviceId: r.device.id, topic: r.topic, error: r.rejection.code, step: r.step }, 'device payload rejected');
    this.rejects.push({
      deviceId: r.device.id,
      topic: r.topic,
      payload: r.payload,
      error: r.rejection.code,
      message: ERROR_CATALOGUE[r.rejection.code].message,
      details: r.rejection.details,
      receivedAt: r.receivedAt,
    });
  }

  duplicate(): void {
    this.deps.metrics.messagesDuplicate.inc();
  }

  presence(deviceId: string, online: boolean, at: number): void {
    const { deviceState, devices, metrics, logger } = this.deps;
    deviceState.presence(deviceId, online, at);
    metrics.devicesOnline.inc(online ? 1 : -1);
    const recorded = devices
      .setOnline(deviceId, online, at)
      .catch((err: unknown) => logger.warn({ err: err instanceof Error ? err.message : err, deviceId }, 'could not record presence'))
      .then(() => this.publishDevice(deviceId))
      .finally(() => this.pendingPresence.delete(recorded));
    this.pendingPresence.add(recorded);
  }

  refused(refusal: { reason: string; deviceId: string | undefined; address: string | undefined; topic?: string }): void {
    this.deps.metrics.mqttRefusals.inc({ reason: refusal.reason });
    this.deps.logger.warn(refusal, 'mqtt refusal');
  }

  private async publishDevice(deviceId: string): Promise<void> {
    try {
      const row = await this.deps.devices.getRow(deviceId);
      if (!row) return;
      const device = this.deps.deviceState.overlay(toDevice(row));
      this.deps.live.publish({ type: 'device.status', device }, { communityId: row.community_id, gridId: row.grid_id, ownerUserId: row.owner_user_id });
    } catch (error) {
      this.deps.logger.warn({ err: error instanceof Error ? error.message : error, deviceId }, 'could not publish device status');
    }
  }

  /** Writes everything accepted so far (used on shutdown and by tests). */
  async drain(): Promise<void> {
    await this.ingest.drain();
    await this.rejects.drain();
    await Promise.all(this.pendingPresence);
    await this.deps.alertService.idle();
  }

  close(): void {
    const left = this.ingest.close().length + this.rejects.close().length;
    if (left) this.deps.logger.error({ left }, 'stopped with unwritten messages');
  }
}
