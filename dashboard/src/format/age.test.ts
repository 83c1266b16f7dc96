import { describe, expect, it } from 'vitest';
import { relativeAge } from './age.ts';

const raised = '2025-01-01T08:00:00.000Z';
const at = (ms: number) => Date.parse(raised) + ms;

describe('relativeAge', () => {
  it('says minutes in Chinese and English', () => {
    expect(relativeAge(raised, at(3 * 60_000 + 20_000), 'zh-CN')).toMatch(/^3\s?分钟前$/);
    expect(relativeAge(raised, at(3 * 60_000 + 20_000), 'en')).toBe('3 minutes ago');
  });

  it('uses seconds, hours and days as the age grows', () => {
    expect(relativeAge(raised, at(12_000), 'en')).toBe('12 seconds ago');
    expect(relativeAge(raised, at(5 * 3600_000), 'en')).toBe('5 hours ago');
    expect(relativeAge(raised, at(3 * 86_400_000), 'en')).toBe('3 days ago');
  });

  it('never shows a future age when clocks differ slightly', () => {
    expect(relativeAge(raised, at(-5_000), 'en')).toBe('0 seconds ago');
  });
});
