/**
 * Kiosk availability as pure functions over intervals: the service windows of a period in local time,
 * each reason's unavailable intervals from its logged changes, and available ÷ service time within
 * service hours only — an outage at night costs nothing, overlapping reasons count once.
 *
 * Local time is China Standard Time (platform/local-time.ts).
 */
import { minutesOfDay, type KioskOutageReason, type ServiceWindow } from '../../contract/index.ts';
import { DAY_MS, type Interval, localDayStart, localWeekday } from '../local-time.ts';

export interface ReasonInterval extends Interval {
  reason: KioskOutageReason;
}

export interface ReasonChange {
  reason: KioskOutageReason;
  at: number;
  unavailable: boolean;
}

export interface OutageSegment extends Interval {
  reasons: KioskOutageReason[];
}

export interface AvailabilityFigures {
  serviceMs: number;
  availableMs: number;
  /** Unavailable stretches within service hours, split where the set of reasons changes. */
  outages: OutageSegment[];
}

/** Before its first logged change a reason is in this state: a kiosk never connected is offline. */
export const INITIAL_STATE: Record<KioskOutageReason, boolean> = { offline: true, fault: false, no_paper: false };
const REASON_ORDER: KioskOutageReason[] = ['offline', 'fault', 'no_paper'];

/** Sorts and joins overlapping or touching intervals. */
export function mergeIntervals(intervals: readonly Interval[]): Interval[] {
  const sorted = intervals.filter((i) => i.to > i.from).sort((a, b) => a.from - b.from);
  const out: Interval[] = [];
  for (const i of sorted) {
    const last = out.at(-1);
    if (last && i.from <= last.to) last.to = Math.max(last.to, i.to);
    else out.push({ from: i.from, to: i.to });
  }
  return out;
}

/** The service windows of the weekly hours that fall within [from, to), merged. */
export function serviceWindows(hours: readonly ServiceWindow[], from: number, to: number): Interval[] {
  const out: Interval[] = [];
  for (let day = localDayStart(from); day < to; day += DAY_MS) {
    const weekday = localWeekday(day);
    for (const w of hours) {
      if (w.weekday !== weekday) continue;
      const start = Math.max(from, day + minutesOfDay(w.opens) * 60_000);
      const end = Math.min(to, day + minutesOfDay(w.closes) * 60_000);
      if (end > start) out.push({ from: start, to: end });
    }
  }
  return mergeIntervals(out);
}

/**
 * Each reason's unavailable intervals within [from, to) from its changes. `changes` holds, per reason,
 * the latest change at or before `from` (if any) and every change after it; repeats of a state are
 * harmless.
 */
export function reasonIntervals(changes: readonly ReasonChange[], from: number, to: number, initial = INITIAL_STATE): ReasonInterval[] {
  const out: ReasonInterval[] = [];
  for (const reason of REASON_ORDER) {
    const mine = changes.filter((c) => c.reason === reason).sort((a, b) => a.at - b.at);
    let state = initial[reason];
    let since = from;
    for (const change of mine) {
      if (change.at <= from) {
        state = change.unavailable;
        continue;
      }
      if (change.at >= to) break;
      if (change.unavailable === state) continue;
      if (state) out.push({ reason, from: since, to: change.at });
      state = change.unavailable;
      since = change.at;
    }
    if (state && to > since) out.push({ reason, from: since, to });
  }
  return out;
}

/** Available time ÷ service time, counting only service windows; a moment with any reason in force is unavailable once. */
export function availability(service: readonly Interval[], outages: readonly ReasonInterval[]): AvailabilityFigures {
  const windows = mergeIntervals(service);
  let serviceMs = 0;
  let unavailableMs = 0;
  const segments: OutageSegment[] = [];
  for (const w of windows) {
    serviceMs += w.to - w.from;
    const within = outages.map((o) => ({ ...o, from: Math.max(o.from, w.from), to: Math.min(o.to, w.to) })).filter((o) => o.to > o.from);
    if (!within.length) continue;
    const cuts = [...new Set(within.flatMap((o) => [o.from, o.to]))].sort((a, b) => a - b);
    for (let i = 0; i + 1 < cuts.length; i++) {
      const from = cuts[i]!;
      const to = cuts[i + 1]!;
      const reasons = REASON_ORDER.filter((r) => within.some((o) => o.reason === r && o.from <= from && o.to >= to));
      if (!reasons.length) continue;
      unavailableMs += to - from;
      const last = segments.at(-1);
      if (last && last.to === from && last.reasons.join() === reasons.join()) last.to = to;
      else segments.push({ from, to, reasons });
    }
  }
  return { serviceMs, availableMs: serviceMs - unavailableMs, outages: segments };
}
