/**
 * Watches Anju's ingest from inside the process through the service's own metric objects, without
 * touching platform code: each `countAccepted` call (what `anju_mqtt_messages_accepted_total` counts: the message passed ACL,
 * parse, validation, normalisation and dedupe) and each `anju_ingest_latency_seconds` observation (the
 * message is stored and evaluated) is timestamped. Batches are stored in arrival order, so with a single
 * publisher the k-th observation is the k-th message it sent.
 */
import type { Metrics } from '../platform/metrics.ts';
import { epochNow } from './child.ts';

export class AnjuProbe {
  accepted = 0;
  lastAcceptedAt = 0;
  /** When the k-th message since `reset()` was stored and evaluated. */
  storedAt: number[] = [];
  /** Broker receipt → stored and evaluated, in ms, as the service measures it (Date.now resolution). */
  ingestMs: number[] = [];
  private acceptedTarget = Infinity;
  private onTarget: (() => void) | undefined;
  private readonly restore: () => void;

  constructor(metrics: Metrics) {
    const histogram = metrics.ingestLatency;
    const countAccepted = metrics.countAccepted;
    const observe = histogram.observe;
    metrics.countAccepted = (channel, kind) => {
      this.accepted++;
      this.lastAcceptedAt = epochNow();
      if (this.accepted >= this.acceptedTarget) this.onTarget?.();
      countAccepted(channel, kind);
    };
    histogram.observe = ((...args: unknown[]) => {
      this.storedAt.push(epochNow());
      if (typeof args[0] === 'number') this.ingestMs.push(args[0] * 1000);
      return (observe as (...a: unknown[]) => void).apply(histogram, args);
    }) as typeof histogram.observe;
    this.restore = () => {
      metrics.countAccepted = countAccepted;
      histogram.observe = observe;
    };
  }

  reset(): void {
    this.accepted = 0;
    this.lastAcceptedAt = 0;
    this.storedAt = [];
    this.ingestMs = [];
  }

  /** Resolves true once `count` messages were accepted since `reset()`, false after `timeoutMs`. */
  waitAccepted(count: number, timeoutMs: number): Promise<boolean> {
    if (this.accepted >= count) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => finish(false), timeoutMs);
      const finish = (ok: boolean) => {
        clearTimeout(timer);
        this.acceptedTarget = Infinity;
        this.onTarget = undefined;
        resolve(ok);
      };
      this.acceptedTarget = count;
      this.onTarget = () => finish(true);
    });
  }

  detach(): void {
    this.restore();
  }
}
