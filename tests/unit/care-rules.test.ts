/** The pure rules of elderly care and personal data: masking by role, quiet periods, monthly visits. */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { Principal } from '../../platform/auth/principal.ts';
import { addMonths, monthOf, monthStart } from '../../platform/local-time.ts';
import { quietPeriod } from '../../platform/care/quiet-period.ts';
import { visitRate, visitStatus } from '../../platform/care/visit-schedule.ts';
import { createLogger } from '../../platform/logger.ts';
import { disclosureFor, maskIdNumber, maskPhone } from '../../platform/privacy/mask.ts';

const H = 3_600_000;
const DAY = 24 * H;
const principal = (p: Partial<Principal>): Principal => ({ userId: 'u', username: 'u', displayName: 'U', role: 'worker', communityIds: [], gridIds: [], workerId: null, ...p });

describe('personal data', () => {
  it('masks phone and ID numbers, keeping what identifies without exposing', () => {
    expect(maskPhone('13800001234')).toBe('138****1234');
    expect(maskPhone('+8613800001234')).toBe('+86****1234');
    expect(maskPhone('12345')).toBe('***45');
    expect(maskPhone(null)).toBeNull();
    expect(maskIdNumber('110101194103051234')).toBe('110101********1234');
    expect(maskIdNumber('1234')).toBe('****');
  });

  it('discloses to those responsible only: admins, the community’s operators, the grid’s workers (phones)', () => {
    const place = { communityId: 'east', gridId: 'g1' };
    expect(disclosureFor(principal({ role: 'admin' }), place)).toEqual({ phone: true, idNumber: true });
    expect(disclosureFor(principal({ role: 'operator', communityIds: ['east'] }), place)).toEqual({ phone: true, idNumber: true });
    expect(disclosureFor(principal({ role: 'operator', communityIds: ['west'] }), place)).toEqual({ phone: false, idNumber: false });
    expect(disclosureFor(principal({ role: 'worker', gridIds: ['g1'] }), place)).toEqual({ phone: true, idNumber: false });
    expect(disclosureFor(principal({ role: 'worker', gridIds: ['g2'] }), place)).toEqual({ phone: false, idNumber: false });
    expect(disclosureFor(principal({ role: 'worker', gridIds: ['g1'] }), { communityId: 'east', gridId: null })).toEqual({ phone: false, idNumber: false });
    expect(disclosureFor(principal({ role: 'vendor' }), place)).toEqual({ phone: false, idNumber: false });
  });

  it('keeps phone and ID numbers out of the logs', () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
    const logger = createLogger('info', sink);
    logger.info({ resident: { name: '张桂兰', phone: '13800001234', idNumber: '110101194103051234', contacts: [{ name: '张明', phone: '13900005678' }] } }, 'resident');
    logger.info({ request: { contact: { name: '李', phone: '13700001111' } } }, 'request');
    const out = lines.join('');
    for (const secret of ['13800001234', '110101194103051234', '13900005678', '13700001111']) expect(out).not.toContain(secret);
    expect(out).toContain('张桂兰');
  });
});

describe('quiet period of a household', () => {
  const now = Date.parse('2026-12-01T00:00:00Z');
  it('is 24 h until a week of history, then learned with half again as margin, within 8–48 h', () => {
    expect(quietPeriod({ overrideS: null, firstActivity: null, longestGapMs: null, now })).toEqual({ periodS: 86_400, source: 'default' });
    expect(quietPeriod({ overrideS: null, firstActivity: now - 3 * DAY, longestGapMs: 9 * H, now }).source).toBe('default');
    expect(quietPeriod({ overrideS: null, firstActivity: now - 10 * DAY, longestGapMs: 9 * H, now })).toEqual({ periodS: 14 * 3600, source: 'learned' });
    expect(quietPeriod({ overrideS: null, firstActivity: now - 10 * DAY, longestGapMs: 2 * H, now }).periodS).toBe(8 * 3600);
    expect(quietPeriod({ overrideS: null, firstActivity: now - 10 * DAY, longestGapMs: 60 * H, now }).periodS).toBe(48 * 3600);
    expect(quietPeriod({ overrideS: 12 * 3600, firstActivity: now - 10 * DAY, longestGapMs: 9 * H, now })).toEqual({ periodS: 12 * 3600, source: 'override' });
  });
});

describe('monthly visits', () => {
  const december = '2026-12';
  const dec1 = monthStart(december);
  const nov15 = Date.parse('2026-11-15T10:00:00+08:00');
  const oct1 = monthStart('2026-10');

  it('counts months in local time (UTC+8)', () => {
    expect(monthOf(Date.parse('2026-11-30T16:00:00Z'))).toBe('2026-12');
    expect(monthOf(Date.parse('2026-11-30T15:59:59Z'))).toBe('2026-11');
    expect(new Date(dec1).toISOString()).toBe('2026-11-30T16:00:00.000Z');
    expect(addMonths('2026-12', 1)).toBe('2027-01');
    expect(addMonths('2027-01', -1)).toBe('2026-12');
  });

  it('is overdue from the 1st when last month had no visit, due when it had one, done once visited', () => {
    expect(visitStatus(december, [], oct1)).toEqual({ status: 'overdue', dueBy: dec1 });
    expect(visitStatus(december, [{ visitedAt: nov15, outcome: 'well' }], oct1)).toEqual({ status: 'due', dueBy: monthStart('2027-01') });
    expect(visitStatus(december, [{ visitedAt: dec1 + H, outcome: 'needs_help' }], oct1).status).toBe('done');
  });

  it('does not count a visit nobody answered, nor owe last month for a resident added this month', () => {
    expect(visitStatus(december, [{ visitedAt: nov15, outcome: 'not_home' }], oct1).status).toBe('overdue');
    expect(visitStatus(december, [{ visitedAt: dec1 + H, outcome: 'not_home' }], oct1).status).toBe('overdue');
    expect(visitStatus(december, [], dec1 + DAY).status).toBe('due');
  });

  it('rates a month against the 100 % target', () => {
    expect(visitRate(4, 4)).toEqual({ residents: 4, visited: 4, rate: 1, met: true });
    expect(visitRate(4, 3)).toEqual({ residents: 4, visited: 3, rate: 0.75, met: false });
    expect(visitRate(0, 0)).toEqual({ residents: 0, visited: 0, rate: null, met: true });
  });
});
