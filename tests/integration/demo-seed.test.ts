/**
 * The demo street answers the control room's questions from the plan: who has not been visited this
 * month, which kiosks were not available for their hours yesterday, which requests are past their
 * deadline, how satisfied residents are per grid, and which indicators each community meets.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IndicatorsAnswer, VisitDue } from '../../contract/index.ts';
import { DEMO_PASSWORD, seedDemo } from '../../platform/demo/seed.ts';
import { ApiClient } from '../../simulators/provision.ts';
import { ADMIN_PASSWORD, startTestService, type TestService } from '../helpers/service.ts';

let t: TestService;
let control: ApiClient;

beforeAll(async () => {
  t = await startTestService();
  const admin = new ApiClient(t.service.httpUrl);
  await admin.login('admin', ADMIN_PASSWORD);
  await seedDemo(admin);
  control = await admin.as('control', DEMO_PASSWORD);
}, 120_000);
afterAll(() => t?.stop());

describe('the demo street', () => {
  it('shows which elderly residents in special difficulty still need this month’s visit, the overdue first', async () => {
    const due = await control.call<VisitDue[]>('GET', '/visits/due');
    expect(due.length).toBeGreaterThanOrEqual(5);
    expect(due[0]).toMatchObject({ status: 'overdue', resident: { name: '赵淑芬' } });
    expect(due.filter((d) => d.status !== 'done').map((d) => d.resident.name)).toContain('赵淑芬');
    // The control room is responsible for both communities: phones are shown, ID numbers too.
    expect(due.find((d) => d.resident.name === '张桂兰')?.resident.idNumber).toBe('110105194103051226');
    const worker = await control.as('wangfang', DEMO_PASSWORD);
    const mine = await worker.call<VisitDue[]>('GET', '/visits/due?assignedTo=me');
    expect(new Set(mine.map((d) => d.resident.communityId))).toEqual(new Set(['xfl']));
    expect(mine.find((d) => d.resident.name === '张桂兰')?.resident.idNumber).toBe('110105********1226');
  });

  it('tells which indicators each community meets', async () => {
    const { indicators } = await control.call<IndicatorsAnswer>('GET', '/indicators');
    expect(indicators).toHaveLength(10);
    for (const indicator of indicators) for (const c of indicator.communities) expect(c.met, `${indicator.key} ${c.communityId}`).not.toBeNull();
    const kiosks = indicators.find((i) => i.id === 6)!;
    expect(kiosks.communities).toEqual([expect.objectContaining({ communityId: 'xfl', value: 100, met: true })]);
  });
});
