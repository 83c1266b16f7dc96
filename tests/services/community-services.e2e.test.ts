/**
 * Issue 7: the community-service pages in a real browser (Debian's Chromium) against the demo street,
 * seeded into the real service through the public API exactly as `npm run demo` seeds it. From the
 * control room (`control`, the street's operator, at 1440×900) one can answer: which elderly residents
 * have not been visited this month, which kiosks were not available for all their hours yesterday,
 * which requests are past their deadline, how satisfied residents are per grid, and which of the ten
 * indicators each community meets. On her phone (390×844) the grid worker 王芳 (`wangfang`) sees her
 * visits due and her residents' requests with their deadlines, and records a visit.
 *
 * The demo's facts are relative to the time it is seeded (`seedDemo` takes no clock; the service and
 * the browser run on the real one), so what each page must show is read from the API, not hard-coded.
 * Every page is checked with axe (no serious or critical violation) and saved under docs/screenshots/.
 * The tests run in order and share the operator's desktop page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IndicatorsAnswer, KioskAvailabilityAnswer, RequestStats, ServiceRequest, VisitDue } from '../../contract/index.ts';
import { formatMinutes } from '../../dashboard/src/format/duration.ts';
import { formatPct } from '../../dashboard/src/format/number.ts';
import { communitiesOf, communityCell, tally, totalCell } from '../../dashboard/src/indicators/cells.ts';
import { DEMO_PASSWORD, seedDemo } from '../../platform/demo/seed.ts';
import { ApiClient } from '../../simulators/provision.ts';
import { eventually } from '../helpers/service.ts';
import {
  ADMIN_PASSWORD,
  expectAccessible,
  expectNoHorizontalScroll,
  expectText,
  login,
  navigate,
  openDashboard,
  saveScreenshot,
  startDashboardService,
  type DashboardService,
  type OpenedDashboard,
} from './browser/index.ts';

/** The dashboard's English locale, as the pages format numbers and durations in it. */
const LOCALE = 'en';
/** 幸福里社区, the demo's urban community: the one with the unvisited resident, the kiosk outage and the late request. */
const XFL = 'xfl';
const NOTE = '老人精神不错，冰箱里有菜；提醒按时服降压药。';

let t: DashboardService;
/** The street control room and the grid worker 王芳, through the API (what the pages must agree with). */
let control: ApiClient;
let wangfang: ApiClient;

/** The local day (Asia/Shanghai) an instant falls on, as `YYYY-MM-DD`. */
const shanghaiDay = (iso: string) => new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 10);

beforeAll(async () => {
  t = await startDashboardService();
  const admin = new ApiClient(t.service.httpUrl);
  await admin.login('admin', ADMIN_PASSWORD);
  await seedDemo(admin);
  control = await admin.as('control', DEMO_PASSWORD);
  wangfang = await admin.as('wangfang', DEMO_PASSWORD);
  // The demo's late request is received 30 hours ago: past its first-response deadline as soon as it exists.
  await eventually(async () => ((await control.call<ServiceRequest[]>('GET', `/requests?overdue=true&communityId=${XFL}`)).length ? true : undefined), 15_000);
});

afterAll(async () => {
  await t?.stop();
});

describe('community services from the demo street in Chromium', () => {
  /** The control room's desktop, signed in once, 幸福里社区 chosen in the header. */
  let desk: OpenedDashboard;

  it('shows the operator the elderly residents not visited this month', async () => {
    const due = await control.call<VisitDue[]>('GET', `/visits/due?communityId=${XFL}`);
    const notVisited = due.filter((v) => v.status !== 'done');
    // The demo leaves 赵淑芬 unvisited since before last month: overdue.
    expect(notVisited.find((v) => v.resident.name === '赵淑芬')?.status).toBe('overdue');

    desk = await openDashboard(t);
    await login(desk.page, 'control', DEMO_PASSWORD);
    await desk.page.getByTestId('community-switcher').selectOption(XFL);
    await navigate(desk.page, 'Elderly care');
    await desk.page.getByRole('heading', { name: /幸福里社区/, level: 1 }).waitFor();
    const panel = desk.page.getByTestId('visits-panel');
    await expect.poll(() => panel.getByTestId('visit-row').count()).toBe(due.length);
    for (const v of due) {
      const row = panel.locator(`[data-testid="visit-row"][data-resident-id="${v.resident.id}"]`);
      expect(await row.getAttribute('data-status')).toBe(v.status);
      await row.getByText(v.resident.name, { exact: true }).waitFor();
    }
    const overdue = panel.locator(`[data-testid="visit-row"][data-resident-id="${notVisited.find((v) => v.status === 'overdue')!.resident.id}"]`);
    await expectText(overdue.getByTestId('visit-status'), '⚠ Overdue: not visited last month');
    const count = (status: VisitDue['status']) => due.filter((v) => v.status === status).length;
    await expectText(panel.getByTestId('visit-counts'), `Overdue ${count('overdue')} · Due ${count('due')} · Done ${count('done')}`);

    await panel.scrollIntoViewIfNeeded();
    await expectAccessible(desk.page, 'care');
    await saveScreenshot(desk.page, 'care');
    expect(desk.errors).toEqual([]);
  });

  it('shows which kiosks were not available for all their service hours yesterday, as the API counts them', async () => {
    const answer = await control.call<KioskAvailabilityAnswer>('GET', `/kiosks/availability?communityId=${XFL}`);
    const short = answer.kiosks.filter((k) => !k.fullyAvailable);
    // The demo's second kiosk at the service centre: a printer jam 10:12–13:47 and the network down 16:05–16:35.
    expect(short.map((k) => k.deviceId)).toEqual(['xfl-ctr-kiosk-2']);
    expect(short[0]).toMatchObject({ unavailableMinutes: 245, outages: [{ reasons: ['fault'] }, { reasons: ['offline'] }] });

    await navigate(desk.page, 'Kiosks');
    await desk.page.getByTestId('availability-panel').waitFor();
    // The day shown is yesterday: the day the API answered for by default.
    expect(await desk.page.getByTestId('kiosk-day').inputValue()).toBe(shanghaiDay(answer.from));
    const rows = desk.page.getByTestId('availability-row');
    await expect.poll(() => rows.count()).toBe(answer.kiosks.length);
    // Those short of their hours come first.
    expect(await rows.first().getAttribute('data-device-id')).toBe('xfl-ctr-kiosk-2');
    for (const k of answer.kiosks) {
      const row = desk.page.locator(`[data-testid="availability-row"][data-device-id="${k.deviceId}"]`);
      expect(await row.getAttribute('data-full')).toBe(String(k.fullyAvailable));
      const cells = (await row.locator('td.num').allInnerTexts()).map((s) => s.trim());
      expect(cells.slice(0, 2)).toEqual([formatMinutes(k.serviceMinutes, LOCALE), formatMinutes(k.availableMinutes, LOCALE)]);
      expect(await row.getByTestId('outage').count()).toBe(k.outages.length);
    }
    const kiosk2 = desk.page.locator('[data-testid="availability-row"][data-device-id="xfl-ctr-kiosk-2"]');
    await kiosk2.getByText('Not available all hours').waitFor();
    const outages = (await kiosk2.getByTestId('outage').allInnerTexts()).join('\n');
    expect(outages).toMatch(/10:12[\s\S]*13:47/);
    expect(outages).toMatch(/16:05[\s\S]*16:35/);
    await expectText(desk.page.getByTestId('availability-summary'), new RegExp(`: ${answer.total.notFullyAvailable} of ${answer.total.kiosks} kiosks were not available for all their service hours;`));

    await expectAccessible(desk.page, 'kiosks');
    await saveScreenshot(desk.page, 'kiosks');
    expect(desk.errors).toEqual([]);
  });

  it('shows the requests past their deadline with their references', async () => {
    const late = await control.call<ServiceRequest[]>('GET', `/requests?overdue=true&communityId=${XFL}`);
    expect(late.map((r) => r.description)).toEqual(['2号楼3单元电梯停在8楼不动，老人下不了楼']);

    await navigate(desk.page, 'Requests');
    const panel = desk.page.getByTestId('overdue-panel');
    await panel.waitFor();
    await expect.poll(() => panel.getByTestId('overdue-row').count()).toBe(late.length);
    for (const r of late) {
      const row = panel.locator(`[data-testid="overdue-row"][data-request-id="${r.id}"]`);
      await expectText(row.getByRole('link', { name: new RegExp(r.reference) }), r.reference);
      await expectText(row.getByTestId('overdue-late'), /^\d.* late$/);
      await row.getByText(r.description).waitFor();
    }
    // In the list of all active requests too, with its reference.
    await desk.page.getByTestId('request-list').getByText(late[0]!.reference).first().waitFor();

    await expectAccessible(desk.page, 'requests');
    await saveScreenshot(desk.page, 'requests');
    expect(desk.errors).toEqual([]);
  });

  it('shows satisfaction per grid over the last 30 days, as the API computes it', async () => {
    await desk.page.getByRole('link', { name: 'Statistics and satisfaction' }).click();
    const page = desk.page.getByTestId('request-stats-page');
    const table = page.getByTestId('stats-table');
    await table.waitFor();
    expect(await page.getByTestId('stats-group-by').inputValue()).toBe('grid');
    const [from, to] = [await page.getByTestId('stats-from').inputValue(), await page.getByTestId('stats-to').inputValue()];
    const next = new Date(Date.parse(`${to}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    const query = new URLSearchParams({ groupBy: 'grid', communityId: XFL, from: `${from}T00:00:00+08:00`, to: `${next}T00:00:00+08:00` });
    const stats = await control.call<RequestStats>('GET', `/requests/stats?${query}`);
    // Both grids of 幸福里 have rated requests: 第一网格 two good, 第二网格 one fair and one bad.
    const rated = stats.groups.filter((g) => g.satisfaction.goodPct !== null);
    expect(rated.map((g) => [g.name, g.satisfaction.goodPct])).toEqual(
      expect.arrayContaining([
        ['第一网格', 100],
        ['第二网格', 0],
      ]),
    );

    await expect.poll(() => table.getByTestId('stats-row').count()).toBe(stats.groups.length + 1);
    for (const g of [...stats.groups, stats.total]) {
      const key = g === stats.total ? 'total' : (g.key ?? '');
      const cells = (await table.locator(`[data-testid="stats-row"][data-key="${key}"] td`).allInnerTexts()).map((s) => s.trim());
      expect(cells[0], `${key}: count`).toBe(String(g.count));
      expect(cells.at(-2), `${key}: good ratings`).toBe(g.satisfaction.goodPct === null ? '—' : formatPct(g.satisfaction.goodPct, LOCALE));
      expect(cells.at(-1), `${key}: ratings`).toBe(`${g.satisfaction.good} / ${g.satisfaction.fair} / ${g.satisfaction.bad}`);
    }
    for (const g of rated) await table.locator(`[data-testid="stats-row"][data-key="${g.key}"] th`).getByText(g.name!).waitFor();
    // The chart beside the table is drawn.
    await page.locator('canvas').first().waitFor();

    await expectAccessible(desk.page, 'request statistics');
    await saveScreenshot(desk.page, 'request-stats');
    expect(desk.errors).toEqual([]);
  });

  it('shows the ten indicators met or not per community, as the API judges them', async () => {
    const answer = await control.call<IndicatorsAnswer>('GET', '/indicators');
    expect(answer.indicators).toHaveLength(10);
    const communities = communitiesOf(answer);
    expect(communities.map((c) => c.id).sort()).toEqual(['tyc', 'xfl']);
    const states = answer.indicators.flatMap((i) => communities.map((c) => communityCell(i, c.id).state));
    // The demo's facts give an answer both ways.
    expect(states).toContain('met');
    expect(states).toContain('not_met');

    await navigate(desk.page, 'Indicators');
    const table = desk.page.getByTestId('indicator-table');
    await expect.poll(() => table.getByTestId('indicator-row').count()).toBe(10);
    const words = { met: 'Met', not_met: 'Not met', no_data: 'No data', not_applicable: 'Not applicable' } as const;
    for (const i of answer.indicators) {
      const row = table.locator(`[data-testid="indicator-row"][data-indicator="${i.id}"]`);
      for (const [key, cell] of [['total', totalCell(i)] as const, ...communities.map((c) => [c.id, communityCell(i, c.id)] as const)]) {
        const shown = row.locator(`[data-testid="indicator-cell"][data-community="${key}"]`);
        expect(await shown.getAttribute('data-state'), `indicator ${i.id}, ${key}`).toBe(cell.state);
        if (cell.state === 'met' || cell.state === 'not_met') expect((await shown.getByTestId('met-badge').innerText()).trim()).toContain(words[cell.state]);
      }
    }
    // Per community in one line: how many met, not met, without data.
    const tallies = (await desk.page.getByTestId('indicator-tallies').locator('li').allInnerTexts()).map((s) => s.trim());
    for (const c of communities) {
      const n = tally(answer.indicators.map((i) => communityCell(i, c.id)));
      expect(tallies).toContain(`${c.name}: ${n.met} met, ${n.not_met} not met, ${n.no_data} without data`);
    }

    await expectAccessible(desk.page, 'indicators');
    await saveScreenshot(desk.page, 'indicators');
    expect(desk.errors).toEqual([]);
  });

  it('shows the grid worker her visits due and her requests with their deadlines on a phone; a visit recorded there leaves the list', async () => {
    const visits = (await wangfang.call<VisitDue[]>('GET', '/visits/due?assignedTo=me')).filter((v) => v.status !== 'done');
    const requests = await wangfang.call<ServiceRequest[]>('GET', '/requests?assignedTo=me&status=active');
    expect(visits.map((v) => v.resident.name)).toEqual(expect.arrayContaining(['赵淑芬', '王秀英']));
    expect(requests.length).toBeGreaterThan(0);

    const phone = await openDashboard(t, { viewport: 'phone' });
    await login(phone.page, 'wangfang', DEMO_PASSWORD);
    await phone.page.waitForURL((url) => url.pathname === '/worker');
    await expectText(phone.page.getByTestId('worker-greeting'), 'Hello, 王芳');

    const requestSection = phone.page.getByTestId('my-requests-section');
    await expect.poll(() => requestSection.getByTestId('my-request').count()).toBe(requests.length);
    const now = Date.now();
    for (const r of requests) {
      const card = requestSection.locator(`[data-testid="my-request"][data-request-id="${r.id}"]`);
      await card.getByText(r.reference).waitFor();
      const late = r.respondedAt === null && Date.parse(r.deadline) < now;
      expect(await card.getAttribute('data-late')).toBe(String(late));
      await expectText(card.getByTestId('my-request-deadline'), late ? /^⚠\s*Deadline · .+ late$/ : /^Deadline · .+/);
    }
    const lateCount = requests.filter((r) => r.respondedAt === null && Date.parse(r.deadline) < now).length;
    expect(lateCount).toBeGreaterThan(0);
    await expectText(requestSection.getByTestId('my-request-count'), `${requests.length} open · ${lateCount} past the deadline`);

    const visitSection = phone.page.getByTestId('my-visits-section');
    await expect.poll(() => visitSection.getByTestId('my-visit').count()).toBe(visits.length);
    for (const v of visits) {
      const card = visitSection.locator(`[data-testid="my-visit"][data-resident-id="${v.resident.id}"]`);
      expect(await card.getAttribute('data-status')).toBe(v.status);
      await card.getByRole('heading', { name: new RegExp(v.resident.name) }).waitFor();
    }
    const overdue = visits.filter((v) => v.status === 'overdue').length;
    await expectText(visitSection.getByTestId('my-visit-count'), `${visits.length} to visit${overdue ? ` · ${overdue} of them overdue` : ''}`);

    await expectAccessible(phone.page, 'worker services');
    await expectNoHorizontalScroll(phone.page, 'worker services');
    // One phone screen each: her requests (the late one on top), then her visits (the overdue one first).
    await requestSection.evaluate((e) => e.scrollIntoView({ block: 'start' }));
    await saveScreenshot(phone.page, 'worker-services');
    await visitSection.evaluate((e) => e.scrollIntoView({ block: 'start' }));
    await saveScreenshot(phone.page, 'worker-visits');

    // She visits 赵淑芬, overdue since last month, and records it from the phone.
    const resident = visits.find((v) => v.resident.name === '赵淑芬')!.resident;
    const card = visitSection.locator(`[data-testid="my-visit"][data-resident-id="${resident.id}"]`);
    await card.getByRole('button', { name: `Record a visit to ${resident.name}` }).tap();
    const form = card.getByTestId('visit-form');
    await form.getByText('All well', { exact: true }).tap();
    await form.getByTestId('visit-note').fill(NOTE);
    await expectNoHorizontalScroll(phone.page, 'worker services (recording a visit)');
    await expectAccessible(phone.page, 'worker services (recording a visit)');
    await form.getByTestId('visit-save').tap();

    await card.waitFor({ state: 'detached' });
    await expectText(phone.page.getByTestId('worker-notice'), `Visit to ${resident.name} recorded.`);
    const left = visits.length - 1;
    await expectText(visitSection.getByTestId('my-visit-count'), `${left} to visit${overdue - 1 ? ` · ${overdue - 1} of them overdue` : ''}`);
    expect(await visitSection.getByTestId('my-visit').count()).toBe(left);
    expect(phone.errors).toEqual([]);

    // The API has it: visited this month, by her, with her note; the control room's list agrees.
    const mine = await wangfang.call<VisitDue[]>('GET', '/visits/due?assignedTo=me');
    expect(mine.find((v) => v.resident.id === resident.id)).toMatchObject({ status: 'done', lastVisit: { outcome: 'well', note: NOTE, workerName: '王芳' } });
    const street = await control.call<VisitDue[]>('GET', `/visits/due?communityId=${XFL}`);
    expect(street.find((v) => v.resident.id === resident.id)?.status).toBe('done');
    await desk.page.goto(t.url('/care'));
    const row = desk.page.locator(`[data-testid="visit-row"][data-resident-id="${resident.id}"]`);
    await expect.poll(() => row.getAttribute('data-status')).toBe('done');
    expect(desk.errors).toEqual([]);
  });
});
