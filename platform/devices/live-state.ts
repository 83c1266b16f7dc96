/**
 * The fast-changing part of each device (online, lastSeen, battery): kept in memory, written to the
 * database in batches, and laid over what the database returns so that answers are never stale.
 */
import type { Device } from '../../contract/index.ts';
import type { Logger } from '../logger.ts';
import type { DeviceStateUpdate, DeviceStore } from '../store/devices.ts';

interface LiveState {
  online: boolean | undefined;
  lastSeen: number | undefined;
  battery: number | null;
}

export class DeviceLiveState {
  private readonly states = new Map<string, LiveState>();
  private readonly dirty = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;

  constructor(
    private readonly store: DeviceStore,
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
      s = { online: undefined, lastSeen: undefined, battery: null };
      this.states.set(deviceId, s);
    }
    return s;
  }

  /** A message arrived. Returns true when the battery reading changed enough to tell dashboards. */
  seen(deviceId: string, at: number, battery: number | undefined): boolean {
    const s = this.state(deviceId);
    s.lastSeen = Math.max(s.lastSeen ?? 0, at);
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
  }

  overlay(device: Device): Device {
    const s = this.states.get(device.id);
    if (!s) return device;
    const dbSeen = device.lastSeen ? Date.parse(device.lastSeen) : 0;
    const lastSeen = Math.max(dbSeen, s.lastSeen ?? 0);
    return {
      ...device,
      online: s.online ?? device.online,
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
