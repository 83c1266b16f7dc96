/**
 * Hardening limits of the gateway and the small bookkeeping that enforces them: connections per source
 * address (a token bucket) and in total, and failed logins per device name (which throttles that name
 * only, so a device under attack does not lock out its neighbours).
 */
import type { Clock } from '../platform/clock.ts';

export interface GatewayLimits {
  /** Simultaneous connections in total; beyond, CONNACK 3 (server unavailable). */
  maxConnections: number;
  /** Connection attempts a source address may make in a burst, refilled at `connectsPerSecond`. */
  connectBurst: number;
  connectsPerSecond: number;
  /** Failed logins of one device name within `loginFailureWindowMs` before its logins are refused (CONNACK 5). */
  loginFailures: number;
  loginFailureWindowMs: number;
  /** Largest MQTT packet accepted (any type); larger ones close the connection. */
  maxPacketBytes: number;
  maxTopicLength: number;
  maxTopicLevels: number;
  /** A client that does not read what it is sent within this time is disconnected. */
  drainTimeoutMs: number;
}

export const DEFAULT_LIMITS: GatewayLimits = {
  maxConnections: 100_000,
  connectBurst: 200,
  connectsPerSecond: 50,
  loginFailures: 5,
  loginFailureWindowMs: 60_000,
  maxPacketBytes: 64 * 1024,
  maxTopicLength: 256,
  maxTopicLevels: 8,
  drainTimeoutMs: 30_000,
};

export class ConnectionRateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly clock: Clock,
    private readonly burst: number,
    private readonly perSecond: number,
  ) {}

  /** Takes one token for `address`; false when its bucket is empty. */
  take(address: string): boolean {
    const now = this.clock.now();
    const bucket = this.buckets.get(address) ?? { tokens: this.burst, at: now };
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.perSecond);
    bucket.at = now;
    const allowed = bucket.tokens >= 1;
    if (allowed) bucket.tokens -= 1;
    this.buckets.set(address, bucket);
    if (this.buckets.size > 100_000) this.sweep(now);
    return allowed;
  }

  private sweep(now: number): void {
    for (const [address, bucket] of this.buckets) {
      if (bucket.tokens + ((now - bucket.at) / 1000) * this.perSecond >= this.burst) this.buckets.delete(address);
    }
  }
}

export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly clock: Clock,
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  private recent(name: string): number[] {
    const now = this.clock.now();
    const list = (this.failures.get(name) ?? []).filter((at) => now - at < this.windowMs);
    if (list.length) this.failures.set(name, list);
    else this.failures.delete(name);
    return list;
  }

  throttled(name: string): boolean {
    return this.recent(name).length >= this.limit;
  }

  failed(name: string): void {
    this.failures.set(name, [...this.recent(name), this.clock.now()]);
  }

  succeeded(name: string): void {
    this.failures.delete(name);
  }
}
