/**
 * Online/offline per device, from connections rather than clients: a device may hold more than one
 * connection, and a reconnect that takes over its own session within the grace period is not "offline".
 */
import type { Clock } from '../platform/clock.ts';

export type PresenceChange = (deviceId: string, online: boolean, at: number) => void;

export class PresenceTracker {
  private readonly connections = new Map<string, Set<object>>();
  private readonly pendingOffline = new Map<string, unknown>();

  constructor(
    private readonly clock: Clock,
    private readonly onChange: PresenceChange,
    private readonly graceMs = 500,
  ) {}

  connected(deviceId: string, connection: object): void {
    const pending = this.pendingOffline.get(deviceId);
    if (pending !== undefined) {
      this.clock.clearTimeout(pending);
      this.pendingOffline.delete(deviceId);
    }
    let set = this.connections.get(deviceId);
    const wasOnline = set !== undefined || pending !== undefined;
    if (!set) {
      set = new Set();
      this.connections.set(deviceId, set);
    }
    set.add(connection);
    if (!wasOnline) this.onChange(deviceId, true, this.clock.now());
  }

  disconnected(deviceId: string, connection: object): void {
    const set = this.connections.get(deviceId);
    if (!set || !set.delete(connection) || set.size > 0) return;
    this.connections.delete(deviceId);
    const timer = this.clock.setTimeout(() => {
      this.pendingOffline.delete(deviceId);
      this.onChange(deviceId, false, this.clock.now());
    }, this.graceMs);
    this.pendingOffline.set(deviceId, timer);
  }

  isOnline(deviceId: string): boolean {
    return this.connections.has(deviceId) || this.pendingOffline.has(deviceId);
  }

  onlineCount(): number {
    return this.connections.size;
  }

  /** On shutdown: every device still connected goes offline now. */
  flushAll(): string[] {
    for (const timer of this.pendingOffline.values()) this.clock.clearTimeout(timer);
    const ids = [...this.connections.keys(), ...this.pendingOffline.keys()];
    this.connections.clear();
    this.pendingOffline.clear();
    return ids;
  }
}
