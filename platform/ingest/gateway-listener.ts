/**
 * What the platform does with the gateway's news: accepted messages update device state (the journal
 * consumer stores them); rejections become dead letters; presence becomes device state; refusals are
 * audited. Every outcome is counted in /metrics.
 */
import { ERROR_CATALOGUE } from '../../contract/index.ts';
import type { DeviceInfo } from '../../gateway/device-info.ts';
import type { CommandReply, GatewayListener, RejectedMessage, RefusalEvent } from '../../gateway/gateway.ts';
import type { NormalisedMessage } from '../../gateway/ingest/message.ts';
import { BatchQueue } from '../batch-queue.ts';
import type { DeviceLiveState } from '../devices/live-state.ts';
import type { LiveHub } from '../live/hub.ts';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../metrics.ts';
import type { DeadLetterStore, NewDeadLetter } from '../store/dead-letters.ts';
import { toDevice, type DeviceStore } from '../store/devices.ts';
import type { Refusal, RefusalStore } from '../store/refusals.ts';

export interface PlatformGatewayListenerDeps {
  deviceState: DeviceLiveState;
  devices: DeviceStore;
  deadLetters: DeadLetterStore;
  refusals: RefusalStore;
  live: LiveHub;
  metrics: Metrics;
  logger: Logger;
  /** The journal has new committed entries. */
  journaled: () => void;
  commandReply: (reply: CommandReply) => Promise<void>;
  /** Presence as recorded, for those who keep a history of it (kiosk availability). */
  presenceRecorded?: (deviceId: string, online: boolean, at: number) => Promise<void>;
}

export class PlatformGatewayListener implements GatewayListener {
  private readonly rejects: BatchQueue<NewDeadLetter>;
  private readonly audit: BatchQueue<Refusal>;
  private readonly pendingPresence = new Set<Promise<void>>();

  constructor(private readonly deps: PlatformGatewayListenerDeps) {
    this.rejects = new BatchQueue<NewDeadLetter>({ name: 'dead-letters', logger: deps.logger, maxBatch: 500, delayMs: 20, maxQueued: 10_000, write: (l) => deps.deadLetters.insert(l) });
    this.audit = new BatchQueue<Refusal>({ name: 'refusal-audit', logger: deps.logger, maxBatch: 500, delayMs: 50, maxQueued: 10_000, write: (r) => deps.refusals.insert(r) });
  }

  accepted(message: NormalisedMessage, device: DeviceInfo): void {
    this.deps.metrics.countAccepted(message.type, device.kind);
    const battery = message.type === 'telemetry' ? message.values.battery : undefined;
    if (this.deps.deviceState.seen(device.id, message.receivedAt, battery)) void this.publishDevice(device.id);
  }

  journaled(): void {
    this.deps.journaled();
  }

  commandReply(reply: CommandReply): void {
    this.deps.commandReply(reply).catch((err: unknown) => this.deps.logger.warn({ err, commandId: reply.commandId }, 'could not record a command reply'));
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
      .then(async () => {
        await Promise.all([
          this.deps.presenceRecorded?.(deviceId, online, at).catch((err: unknown) => logger.warn({ err: err instanceof Error ? err.message : err, deviceId }, 'could not log presence')),
          this.publishDevice(deviceId),
        ]);
      })
      .finally(() => this.pendingPresence.delete(recorded));
    this.pendingPresence.add(recorded);
  }

  refused(refusal: RefusalEvent): void {
    this.deps.metrics.mqttRefusals.inc({ reason: refusal.reason });
    this.deps.logger.warn(refusal, 'mqtt refusal');
    this.audit.push({ at: refusal.at, deviceId: refusal.deviceId ?? null, address: refusal.address ?? null, reason: refusal.reason, detail: refusal.detail ?? null });
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

  async drain(): Promise<void> {
    await this.rejects.drain();
    await this.audit.drain();
    await Promise.all(this.pendingPresence);
  }

  close(): void {
    this.rejects.close();
    this.audit.close();
  }
}
