/**
 * The fast-changing part of each device (online, lastSeen, battery): kept in memory, written to the
 * database in batches, and laid over what the database returns so that answers are never stale.
 */
import { deviceKind, type Device } from '../../contract/index.ts';
import type { Clock } from '../clock.ts';
import type { Logger } from '../logger.ts';
import type { DeviceStateUpdate, DeviceStore } from '../store/devices.ts';

interface LiveState {
  online: boolean | undefined;
  /** Last message or connection. */
  lastSeen: number | undefined;
  /** Last message (telemetry or event); silence is measured from it, or from the connection. */
  lastMessageAt: number | undefined;
  connectedAt: number | undefined;
  battery: number | null;
}

/** A connected device is "silent" once this many reporting intervals pass without a message. */
export const SILENT_AFTER_INTERVALS = 2;

export class DeviceLiveState {
  private readonly states = new Map<string, LiveState>();
  private readonly dirty = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;

  constructor(
    private readonly store: DeviceStore,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly flushEveryMs = 2000,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.flush(), this.flushEveryMs);
    this.timer.unref();
  }

  private state(deviceId: string): LiveState {
    let s = this.states.get(deviceId);
    if (!s) {
      s = { online: undefined, lastSeen: undefined, lastMessageAt: undefined, connectedAt: undefined, battery: null };
      this.states.set(deviceId, s);
    }
    return s;
  }

  /** A message arrived. Returns true when the battery reading changed enough to tell dashboards. */
  seen(deviceId: string, at: number, battery: number | undefined): boolean {
    const s = this.state(deviceId);
    s.lastSeen = Math.max(s.lastSeen ?? 0, at);
    s.lastMessageAt = Math.max(s.lastMessageAt ?? 0, at);
    let notable = false;
    if (battery !== undefined) {
      notable = s.battery === null || Math.abs(s.battery - battery) >= 1;
      s.battery = battery;
    }
    this.dirty.add(deviceId);
    return notable;
  }

  presence(deviceId: string, online: boolean, at: number): void {
    const s = this.state(deviceId);
    s.online = online;
    s.lastSeen = Math.max(s.lastSeen ?? 0, at);
    if (online) s.connectedAt = at;
  }

  overlay(device: Device): Device {
    const s = this.states.get(device.id);
    if (!s) return device;
    const dbSeen = device.lastSeen ? Date.parse(device.lastSeen) : 0;
    const lastSeen = Math.max(dbSeen, s.lastSeen ?? 0);
    const online = s.online ?? device.online;
    const quietSince = Math.max(s.lastMessageAt ?? 0, s.connectedAt ?? 0);
    const overdue = quietSince > 0 && this.clock.now() - quietSince > SILENT_AFTER_INTERVALS * deviceKind(device.kind).reportingIntervalS * 1000;
    return {
      ...device,
      online,
      status: !online ? 'offline' : overdue ? 'silent' : 'online',
      lastSeen: lastSeen ? new Date(lastSeen).toISOString() : null,
      battery: s.battery ?? device.battery,
    };
  }

  async flush(): Promise<void> {
    if (this.flushing) return this.flushing;
    if (!this.dirty.size) return;
    const updates: DeviceStateUpdate[] = [];
    for (const id of this.dirty) {
      const s = this.states.get(id)!;
      updates.push({ id, lastSeen: s.lastSeen ?? 0, battery: s.battery });
    }
    this.dirty.clear();
    this.flushing = this.store
      .writeStates(updates)
      .catch((err: unknown) => {
        for (const u of updates) this.dirty.add(u.id);
        this.logger.warn({ err: err instanceof Error ? err.message : err }, 'could not write device states; will retry');
      })
      .finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}
