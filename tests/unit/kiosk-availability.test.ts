/** Kiosk availability as pure functions: service windows in local time, reasons as intervals, service hours only. */
import { describe, expect, it } from 'vitest';
import { ServiceHours, type ServiceWindow } from '../../contract/index.ts';
import { availability, reasonIntervals, serviceWindows, type ReasonChange } from '../../platform/kiosks/availability.ts';
import { localDate, localDay } from '../../platform/local-time.ts';
import { resolvePeriod } from '../../platform/kiosks/service.ts';

// Tuesday 1 December 2026, local time (UTC+8).
const at = (hhmm: string, date = '2026-12-01') => Date.parse(`${date}T${hhmm}:00+08:00`);
const DAY = localDay('2026-12-01');
const weekdays = (opens: string, closes: string, days = [1, 2, 3, 4, 5]): ServiceWindow[] => days.map((weekday) => ({ weekday, opens, closes }));
const OFFICE = weekdays('09:00', '17:00');
const online = (hhmm: string, date?: string): ReasonChange => ({ reason: 'offline', at: at(hhmm, date), unavailable: false });
const offline = (hhmm: string, date?: string): ReasonChange => ({ reason: 'offline', at: at(hhmm, date), unavailable: true });
const minutes = (ms: number) => ms / 60_000;

describe('service windows', () => {
  it('places weekly hours on the local calendar (Asia/Shanghai), a lunch break and 24:00 included', () => {
    expect(localDate(DAY.from)).toBe('2026-12-01');
    expect(DAY.from).toBe(Date.parse('2026-11-30T16:00:00Z'));
    const hours: ServiceWindow[] = [
      { weekday: 2, opens: '08:30', closes: '12:00' },
      { weekday: 2, opens: '13:00', closes: '18:00' },
      { weekday: 3, opens: '00:00', closes: '24:00' },
    ];
    expect(serviceWindows(hours, DAY.from, DAY.to)).toEqual([
      { from: at('08:30'), to: at('12:00') },
      { from: at('13:00'), to: at('18:00') },
    ]);
    const wednesday = localDay('2026-12-02');
    expect(serviceWindows(hours, wednesday.from, wednesday.to)).toEqual([{ from: wednesday.from, to: wednesday.to }]);
    // Saturday: a weekday kiosk is closed.
    const saturday = localDay('2026-12-05');
    expect(serviceWindows(OFFICE, saturday.from, saturday.to)).toEqual([]);
  });

  it('clips windows to the period', () => {
    expect(serviceWindows(OFFICE, at('10:00'), at('23:00'))).toEqual([{ from: at('10:00'), to: at('17:00') }]);
    expect(serviceWindows(OFFICE, DAY.from, at('12:30', '2026-12-02'))).toEqual([
      { from: at('09:00'), to: at('17:00') },
      { from: at('09:00', '2026-12-02'), to: at('12:30', '2026-12-02') },
    ]);
  });
});

describe('availability over service hours only', () => {
  const service = serviceWindows(OFFICE, DAY.from, DAY.to);

  it('does not count an outage at night; counts one during the hours', () => {
    const night = reasonIntervals([online('00:00', '2026-11-30'), offline('01:00'), online('05:00')], DAY.from, DAY.to);
    expect(availability(service, night)).toEqual({ serviceMs: 8 * 3600_000, availableMs: 8 * 3600_000, outages: [] });

    const day = reasonIntervals([online('00:00', '2026-11-30'), offline('08:00'), online('10:15')], DAY.from, DAY.to);
    const result = availability(service, day);
    expect(minutes(result.serviceMs - result.availableMs)).toBe(75);
    expect(result.outages).toEqual([{ from: at('09:00'), to: at('10:15'), reasons: ['offline'] }]);
  });

  it('counts a fault and an offline period that overlap once, splitting where the reasons change', () => {
    const changes: ReasonChange[] = [
      online('20:00', '2026-11-30'),
      { reason: 'fault', at: at('13:00'), unavailable: true },
      offline('13:30'),
      online('14:00'),
      { reason: 'fault', at: at('14:30'), unavailable: false },
      { reason: 'no_paper', at: at('16:00'), unavailable: true },
    ];
    const result = availability(service, reasonIntervals(changes, DAY.from, DAY.to));
    expect(minutes(result.serviceMs - result.availableMs)).toBe(90 + 60);
    expect(result.outages).toEqual([
      { from: at('13:00'), to: at('13:30'), reasons: ['fault'] },
      { from: at('13:30'), to: at('14:00'), reasons: ['offline', 'fault'] },
      { from: at('14:00'), to: at('14:30'), reasons: ['fault'] },
      { from: at('16:00'), to: at('17:00'), reasons: ['no_paper'] },
    ]);
  });

  it('takes a never-connected kiosk as offline, and the state before the period from the latest earlier change', () => {
    expect(availability(service, reasonIntervals([], DAY.from, DAY.to)).availableMs).toBe(0);
    // Went offline the evening before and came back at 11:00.
    const result = availability(service, reasonIntervals([online('08:00', '2026-11-30'), offline('19:00', '2026-11-30'), online('11:00')], DAY.from, DAY.to));
    expect(result.outages).toEqual([{ from: at('09:00'), to: at('11:00'), reasons: ['offline'] }]);
  });

  it('ignores repeated states and changes after the period', () => {
    const result = availability(service, reasonIntervals([online('07:00'), online('09:30'), offline('12:00'), offline('12:05'), online('12:30'), offline('09:00', '2026-12-02')], DAY.from, DAY.to));
    expect(result.outages).toEqual([{ from: at('12:00'), to: at('12:30'), reasons: ['offline'] }]);
  });

  it('has no service time on a day the kiosk is closed', () => {
    const saturday = localDay('2026-12-05');
    expect(availability(serviceWindows(OFFICE, saturday.from, saturday.to), reasonIntervals([], saturday.from, saturday.to))).toEqual({ serviceMs: 0, availableMs: 0, outages: [] });
  });
});

describe('service hours', () => {
  it('accepts every day open at least 8 h, in one window or with a break', () => {
    expect(ServiceHours.safeParse(weekdays('08:30', '17:30')).success).toBe(true);
    expect(ServiceHours.safeParse([{ weekday: 6, opens: '08:00', closes: '12:00' }, { weekday: 6, opens: '13:00', closes: '17:00' }]).success).toBe(true);
    expect(ServiceHours.safeParse([{ weekday: 7, opens: '00:00', closes: '24:00' }]).success).toBe(true);
  });

  it('rejects a day under 8 h, a window closing before it opens and overlapping windows, each at its field', () => {
    const issues = (value: unknown) => (ServiceHours.safeParse(value).error?.issues ?? []).map((i) => [i.path.join('.'), i.message]);
    expect(issues([...weekdays('09:00', '17:00', [1, 2]), { weekday: 3, opens: '09:00', closes: '15:30' }])).toEqual([
      ['2.closes', 'open 6 h 30 min on Wednesday (weekday 3); a kiosk must be open at least 8 h on every day it opens'],
    ]);
    expect(issues([{ weekday: 1, opens: '18:00', closes: '09:00' }])[0]).toEqual(['0.closes', expect.stringContaining('not after it opens')]);
    expect(issues([{ weekday: 1, opens: '08:00', closes: '17:00' }, { weekday: 1, opens: '12:00', closes: '13:00' }])).toEqual([['1.opens', expect.stringContaining('overlaps 08:00–17:00')]]);
    expect(issues([])).toEqual([['', 'a kiosk opens on at least one day a week']]);
  });
});

describe('periods', () => {
  it('defaults to yesterday, local time', () => {
    expect(resolvePeriod({}, at('00:30', '2026-12-02'))).toEqual(DAY);
    expect(resolvePeriod({ date: '2026-12-01' }, 0)).toEqual(DAY);
    expect(() => resolvePeriod({ date: '2026-12-01', from: 0 }, 0)).toThrow();
    expect(() => resolvePeriod({ from: at('10:00'), to: at('09:00') }, 0)).toThrow();
  });
});
