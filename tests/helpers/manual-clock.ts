import type { Clock } from '../../platform/clock.ts';

interface Timer {
  at: number;
  fn: () => void;
  every?: number;
}

/** A clock that moves only when told to; timers fire in order as time passes. */
export class ManualClock implements Clock {
  private timers = new Map<number, Timer>();
  private nextId = 1;

  constructor(private current = Date.parse('2026-11-29T08:00:00Z')) {}

  now(): number {
    return this.current;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.set(id, { at: this.current + ms, fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  setInterval(fn: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.set(id, { at: this.current + ms, fn, every: ms });
    return id;
  }

  clearInterval(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  /** Moves time forward by `ms`, firing due timers in time order. */
  advance(ms: number): void {
    const target = this.current + ms;
    for (;;) {
      let next: [number, Timer] | undefined;
      for (const entry of this.timers) if (entry[1].at <= target && (!next || entry[1].at < next[1].at)) next = entry;
      if (!next) break;
      const [id, timer] = next;
      this.current = timer.at;
      if (timer.every) timer.at += timer.every;
      else this.timers.delete(id);
      timer.fn();
    }
    this.current = target;
  }

  /**
   * Jumps forward by `ms` (days, weeks) firing each due timer once — an interval catches up with one
   * run, not thousands — as a service that slept through the time would.
   */
  jump(ms: number): void {
    const target = this.current + ms;
    const due = [...this.timers].filter(([, timer]) => timer.at <= target).sort((a, b) => a[1].at - b[1].at);
    this.current = target;
    for (const [id, timer] of due) {
      if (timer.every) timer.at = target + timer.every;
      else this.timers.delete(id);
      timer.fn();
    }
  }
}
