import { describe, expect, it } from 'vitest';
import { clockText, countdown } from './countdown.ts';

const AT = '2025-01-01T08:01:00.000Z';
const at = (ms: number) => Date.parse(AT) + ms;

describe('countdown', () => {
  it('counts down whole seconds, rounding up so it never shows 0:00 before the deadline', () => {
    expect(countdown(AT, at(-65_000))).toMatchObject({ overdue: false, soon: false, clock: '1:05' });
    expect(countdown(AT, at(-59_500))).toMatchObject({ overdue: false, soon: true, clock: '1:00' });
    expect(countdown(AT, at(-400))).toMatchObject({ overdue: false, clock: '0:01' });
  });

  it('is overdue from the deadline on and counts how late', () => {
    expect(countdown(AT, at(0))).toMatchObject({ overdue: true, clock: '0:00' });
    expect(countdown(AT, at(135_000))).toMatchObject({ overdue: true, soon: false, clock: '2:15' });
  });

  it('shows hours when the time is long', () => {
    expect(clockText(3_723_000)).toBe('1:02:03');
    expect(clockText(-3_723_000)).toBe('1:02:03');
  });
});
