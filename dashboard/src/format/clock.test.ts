import { describe, expect, it } from 'vitest';
import { formatClock, fromLocalInput, toLocalInput } from './clock.ts';

describe('formatClock', () => {
  it('shows only the time today and adds the date on other days', () => {
    const at = new Date(2025, 0, 2, 8, 5).toISOString();
    expect(formatClock(at, 'en', new Date(2025, 0, 2, 20, 0).getTime())).toBe('08:05');
    expect(formatClock(at, 'en', new Date(2025, 0, 3, 9, 0).getTime())).toBe('Jan 2, 08:05');
    expect(formatClock(at, 'zh-CN', new Date(2025, 0, 3, 9, 0).getTime())).toBe('1月2日 08:05');
  });
});

describe('datetime-local values', () => {
  it('round-trips an instant through local time', () => {
    const iso = new Date(2025, 5, 30, 18, 45).toISOString();
    expect(toLocalInput(iso)).toBe('2025-06-30T18:45');
    expect(fromLocalInput('2025-06-30T18:45')).toBe(iso);
    expect(toLocalInput(null)).toBe('');
    expect(fromLocalInput('')).toBeNull();
    expect(fromLocalInput('nonsense')).toBeNull();
  });
});

describe('formatList', () => {
  it('joins names as the language does', async () => {
    const { formatList } = await import('./list.ts');
    expect(formatList(['一网格', '二网格', '三网格'], 'zh-CN')).toBe('一网格、二网格、三网格');
    expect(formatList(['Grid 1', 'Grid 2'], 'en')).toBe('Grid 1, Grid 2');
  });
});
