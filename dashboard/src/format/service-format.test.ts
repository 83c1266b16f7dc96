import { describe, expect, it } from 'vitest';
import { formatDuration, formatMinutes } from './duration.ts';
import { formatPct, formatRatio } from './number.ts';
import { formatDay, formatMonth, formatServiceTime, serviceDate, serviceMonth, serviceYesterday } from './service-time.ts';

describe('formatDuration', () => {
  it('says the two largest units in either language', () => {
    expect(formatDuration(100_800, 'zh-CN')).toBe('1天4小时');
    expect(formatDuration(100_800, 'en')).toBe('1 day, 4 hours');
    expect(formatDuration(2 * 3600 + 5 * 60 + 9, 'en')).toBe('2 hours, 5 minutes');
    expect(formatMinutes(480, 'zh-CN')).toBe('8小时');
  });

  it('counts seconds only under a minute, and never shows a negative or empty duration', () => {
    expect(formatDuration(42, 'en')).toBe('42 seconds');
    expect(formatDuration(0, 'en')).toBe('0 seconds');
    expect(formatDuration(-3600, 'en')).toBe('1 hour');
  });
});

describe('shares', () => {
  it('formats ratios and per cent values with at most one decimal', () => {
    expect(formatRatio(0.7598, 'en')).toBe('76%');
    expect(formatRatio(0.4896, 'zh-CN')).toBe('49%');
    expect(formatPct(33.3, 'en')).toBe('33.3%');
  });
});

describe('the communities’ calendar (Asia/Shanghai)', () => {
  it('takes the local day and month in UTC+8 whatever the browser’s zone', () => {
    // 17:30 UTC on 30 November is already 1 December in Beijing.
    const at = Date.parse('2026-11-30T17:30:00Z');
    expect(serviceDate(at)).toBe('2026-12-01');
    expect(serviceMonth(at)).toBe('2026-12');
    expect(serviceYesterday(at)).toBe('2026-11-30');
  });

  it('names months, days and times of day in the locale', () => {
    expect(formatMonth('2026-11', 'zh-CN')).toBe('2026年11月');
    expect(formatMonth('2026-11', 'en')).toBe('November 2026');
    expect(formatDay('2026-11-28', 'en')).toBe('Saturday, November 28, 2026');
    expect(formatServiceTime('2026-11-28T02:12:00.000Z', 'en')).toBe('10:12');
  });
});
