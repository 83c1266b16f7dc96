/** The plan's indicators through the API: from registry facts, scoped by role, exported as CSV. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IndicatorsAnswer } from '../../contract/index.ts';
import { seedCommunity, startTestService, type TestService } from '../helpers/service.ts';

let t: TestService;
let city: Awaited<ReturnType<typeof seedCommunity>>;
let village: { communityId: string };
let operator: string;

beforeAll(async () => {
  t = await startTestService();
  city = await seedCommunity(t, '幸福里社区');
  village = { communityId: (await t.api<{ id: string }>('POST', '/communities', { name: '桃源村', kind: 'rural' }, t.adminToken)).body.id };
  await t.api('POST', '/users', { username: 'city-room', password: 'indicators-test', role: 'operator', communityIds: [city.communityId] }, t.adminToken);
  operator = (await t.login('city-room', 'indicators-test')).token;
});
afterAll(() => t?.stop());

describe('plan indicators', () => {
  it('computes them from profiles, workers and their certificates, organisations and kiosks', async () => {
    const profile = await t.api('PATCH', `/communities/${city.communityId}/profile`, { residents: 5000, households: 1500, totalFloorAreaM2: 80_000, serviceFacilityAreaM2: 600, commercialServiceAreaM2: 7_000, activityAreaM2: 400 }, operator);
    expect(profile.status).toBe(200);
    const bad = await t.api<{ details: { path: string }[] }>('PATCH', `/communities/${city.communityId}/profile`, { residents: -1 }, operator);
    expect([bad.status, bad.body.details[0]?.path]).toEqual([400, 'residents']);
    // Five community workers (the seeded grid worker and four more), two certified; the street's emergency centre does not count.
    for (const [i, certified] of [true, true, false, false].entries()) {
      await t.api('POST', '/workers', { communityId: city.communityId, name: `社工${i}`, position: i === 0 ? 'grid_leader' : 'duty_officer', socialWorkerCertified: certified }, t.adminToken);
    }
    await t.api('POST', '/workers', { communityId: city.communityId, name: '街道应急中心', position: 'emergency_centre', socialWorkerCertified: true }, t.adminToken);
    for (const name of ['夕阳红志愿队', '书画社', '广场舞队']) expect((await t.api('POST', '/social-organisations', { communityId: city.communityId, name, kind: '文体' }, operator)).status).toBe(201);
    expect((await t.api('POST', '/social-organisations', { communityId: city.communityId, name: '书画社', kind: '文体' }, operator)).status).toBe(409);
    await t.provision({ kind: 'kiosk', communityId: city.communityId, gridId: city.gridId });

    const { body } = await t.api<IndicatorsAnswer>('GET', '/indicators', undefined, t.adminToken);
    const cityValue = (id: number) => body.indicators.find((i) => i.id === id)!.communities.find((c) => c.communityId === city.communityId);
    expect(cityValue(2)).toMatchObject({ value: 100, met: true });
    expect(cityValue(3)).toMatchObject({ value: 9.5, met: false });
    expect(cityValue(4)).toMatchObject({ value: 40, met: true });
    expect(cityValue(5)).toMatchObject({ value: 66.67, met: true });
    expect(cityValue(6)).toMatchObject({ value: 100, met: true });
    expect(cityValue(7)).toMatchObject({ value: 10, met: false });
    expect(cityValue(8)).toMatchObject({ value: 3, met: false });
    expect(cityValue(10)).toMatchObject({ value: 40, met: true });
    // The village registered nothing yet: no data, not a zero.
    const rural = body.indicators.find((i) => i.id === 1)!;
    expect(rural.communities).toEqual([{ communityId: village.communityId, name: '桃源村', kind: 'rural', value: null, met: null }]);
    expect(body.indicators.find((i) => i.id === 9)!.total).toEqual({ value: 0, met: false, communities: 1 });
  });

  it('shows an operator only its communities and a vendor none, and exports CSV for Excel', async () => {
    const scoped = (await t.api<IndicatorsAnswer>('GET', '/indicators', undefined, operator)).body;
    expect(new Set(scoped.indicators.flatMap((i) => i.communities.map((c) => c.communityId)))).toEqual(new Set([city.communityId]));
    expect((await t.api('GET', `/communities/${village.communityId}/profile`, undefined, operator)).status).toBe(404);
    await t.api('POST', '/users', { username: 'maker', password: 'indicators-test', role: 'vendor' }, t.adminToken);
    expect((await t.api('GET', '/indicators', undefined, (await t.login('maker', 'indicators-test')).token)).status).toBe(403);

    const response = await fetch(`${t.service.httpUrl}/api/v1/indicators.csv`, { headers: { authorization: `Bearer ${operator}` } });
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="anju-indicators-\d{4}-\d{2}-\d{2}\.csv"$/);
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes);
    expect(text).toContain('城市社区政务通用自助服务一体机配置率');
    expect(text).toContain('幸福里社区');
    expect(text).not.toContain('桃源村');
  });
});
