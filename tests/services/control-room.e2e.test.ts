/**
 * Issue 6: the control room, the grid worker's phone and the incident in a real browser (Debian's
 * Chromium) against the real service. A simulated smoke detector alarms over MQTT; the operator's
 * control room shows it live (same document, never reloaded); the grid worker takes it with one tap on
 * a phone, arrives and resolves it; the control room follows each step live; the incident keeps the
 * timeline. Every page is checked with axe (no serious or critical violation), every phone-size page for
 * sideways scrolling, and saved as a screenshot under docs/screenshots/.
 *
 * The tests run in order and share the operator's desktop page and the worker's phone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert, AlertWithHistory } from '../../contract/index.ts';
import { eventually } from '../helpers/service.ts';
import { startReceiver, type Receiver } from '../helpers/receivers.ts';
import {
  ADMIN_PASSWORD,
  expectAccessible,
  expectNoHorizontalScroll,
  expectSameDocument,
  expectText,
  login,
  markDocument,
  navigate,
  openDashboard,
  saveScreenshot,
  startDashboardService,
  type DashboardService,
  type OpenedDashboard,
} from './browser/index.ts';
import { COMMUNITY, LOGINS, PASSWORD, seedStreet, WORKER_NAME, type Street } from './control-room.seed.ts';

const NOTE = '302室厨房烧焦冒烟，已开窗通风，无人受伤。';
let t: DashboardService;
let hooks: Receiver;
let street: Street;

/** Alerts of the community as the API has them. */
async function alertsOf(query = 'status=active'): Promise<Alert[]> {
  const { body } = await t.api<Alert[]>('GET', `/alerts?communityId=${street.communityId}&${query}`, undefined, t.adminToken);
  return body;
}

/** Resource URLs the page's current document has fetched (scripts included), from the browser's own timing entries. */
async function fetchedUrls(dashboard: OpenedDashboard): Promise<string[]> {
  return (await dashboard.page.evaluate(`performance.getEntriesByType('resource').map((e) => e.name)`)) as string[];
}
const isChartsChunk = (url: string) => /\/assets\/echarts[^/]*\.js$/.test(new URL(url).pathname);

beforeAll(async () => {
  hooks = await startReceiver();
  t = await startDashboardService();
  street = await seedStreet(t, hooks.url);
  // Already waiting before anyone signs in: a yellow fault in the other grid, so the queue has an order to keep.
  await street.devices[5]!.event('fault', { code: 'CT_OPEN', message: '互感器开路' });
  await eventually(async () => ((await alertsOf()).length === 1 ? true : undefined), 15_000);
});

afterAll(async () => {
  for (const device of street?.devices ?? []) await device.disconnect().catch(() => undefined);
  await t?.stop();
  await hooks?.close();
});

describe('control room, grid worker and incident in Chromium', () => {
  /** The operator's control room at 1440×900, open from the first test to the live checks of the last step. */
  let desk: OpenedDashboard;
  let deskMark: string;
  /** The grid worker's phone at 390×844. */
  let phone: OpenedDashboard;
  let alertId: string;
  let incidentId: string;

  const queueRow = () => desk.page.locator(`[data-testid="queue-row"][data-alert-id="${alertId}"]`);
  const mapBuilding = (id: string) => desk.page.locator(`[data-testid="map-building"][data-building-id="${id}"]`);

  it('signs the operator in to the control room: the community map and the queue', async () => {
    desk = await openDashboard(t);
    await login(desk.page, LOGINS.operator, PASSWORD);
    expect(new URL(desk.page.url()).pathname).toBe('/');
    await desk.page.getByRole('heading', { name: `${COMMUNITY} · Control room`, level: 1 }).waitFor();
    await expect.poll(() => desk.page.getByTestId('map-building').count()).toBe(5);
    await expectText(desk.page.getByTestId('live-status'), 'Live');
    // The fault raised before sign-in waits in the queue; its building is yellow, 1号楼 is calm.
    const waiting = desk.page.getByTestId('queue-row');
    await expect.poll(() => waiting.count()).toBe(1);
    expect(await waiting.first().getAttribute('data-level')).toBe('yellow');
    expect(await mapBuilding(street.buildings.b3.id).getAttribute('data-level')).toBe('yellow');
    expect(await mapBuilding(street.buildings.b1.id).getAttribute('data-level')).toBe('none');
    deskMark = await markDocument(desk.page);
    await expectAccessible(desk.page, 'control room (quiet)');
  });

  it('shows a smoke alarm from a simulated detector live: level in words, deadline counting down, the building red', async () => {
    await street.smoke.event('alarm');

    const first = desk.page.getByTestId('queue-row').first();
    // Red before yellow: the new alarm heads the queue without a reload.
    await expect.poll(() => first.getAttribute('data-level')).toBe('red');
    alertId = (await first.getAttribute('data-alert-id'))!;
    const row = queueRow();
    await row.getByText('Red warning (level I)').waitFor();
    await expectText(row.getByTestId('queue-status'), 'Open');
    await expectText(row.getByTestId('queue-assignees'), WORKER_NAME);
    await row.getByText('1号楼3层烟感').waitFor();
    // Acknowledge before the next escalation stage: a countdown that ticks.
    const deadline = row.getByTestId('deadline');
    await expectText(deadline, /^Acknowledge\s+(\d+:\d\d left|⚠ Overdue by \d+:\d\d)$/);
    const shown = await deadline.innerText();
    await expect.poll(() => deadline.innerText(), { timeout: 5000 }).not.toBe(shown);

    const building = mapBuilding(street.buildings.b1.id);
    await expect.poll(() => building.getAttribute('data-level')).toBe('red');
    expect(await building.locator('title').textContent()).toBe('1号楼: worst Red alert, 1 active');
    await expectSameDocument(desk.page, deskMark);

    const stored = await t.api<Alert>('GET', `/alerts/${alertId}`, undefined, t.adminToken);
    expect(stored.body).toMatchObject({ deviceId: street.smoke.id, level: 'red', status: 'open' });
    incidentId = stored.body.incidentId!;
    expect(incidentId).toBeTruthy();
    await expectAccessible(desk.page, 'control room (red alert)');
    await saveScreenshot(desk.page, 'control-room');
  });

  it('drills down from the map into the building: devices by floor and unit, the alarming one red', async () => {
    await mapBuilding(street.buildings.b1.id).click();
    await desk.page.getByRole('heading', { name: '1号楼', level: 1 }).waitFor();
    expect(new URL(desk.page.url()).pathname).toBe(`/buildings/${street.buildings.b1.id}`);
    const cell = desk.page.locator('[data-testid="elevation"] tr[data-floor="3"] [data-unit="1"]');
    const chip = cell.locator(`[data-device-id="${street.smoke.id}"]`);
    await expect.poll(() => chip.getAttribute('data-level')).toBe('red');
    await desk.page.locator(`tr[data-floor="5"] [data-unit="2"] [data-device-id="${street.devices[1]!.id}"]`).waitFor();
    await desk.page.locator(`tr[data-floor="2"] [data-unit="1"] [data-device-id="${street.devices[2]!.id}"]`).waitFor();
    await desk.page.getByRole('list', { name: 'Alerts' }).locator(`[data-alert-id="${alertId}"]`).waitFor();
    await expectAccessible(desk.page, 'building');
    await saveScreenshot(desk.page, 'building');

    await desk.page.getByRole('link', { name: /Back to the control room/ }).click();
    await queueRow().waitFor();
    await expectSameDocument(desk.page, deskMark);
  });

  it('lets the grid worker take the alert with one tap on a phone; the control room follows live', async () => {
    phone = await openDashboard(t, { viewport: 'phone' });
    await login(phone.page, LOGINS.worker, PASSWORD);
    await phone.page.waitForURL((url) => url.pathname === '/worker');
    await expectText(phone.page.getByTestId('worker-greeting'), `Hello, ${WORKER_NAME}`);
    const card = phone.page.locator(`[data-testid="my-alert"][data-alert-id="${alertId}"]`);
    await expectText(card.getByTestId('my-alert-level'), 'Red alert · level I');
    await expectText(card.getByTestId('my-alert-status'), 'Waiting for you to take it');
    await expectText(card.getByTestId('my-alert-place'), /1号楼.*3.*302/);
    // Only her own grid's alerts: the fault in 李强's grid is not hers.
    expect(await phone.page.getByTestId('my-alert').count()).toBe(1);
    await expectAccessible(phone.page, 'worker (new alert)');
    await expectNoHorizontalScroll(phone.page, 'worker (new alert)');
    await saveScreenshot(phone.page, 'worker');

    await card.getByRole('button', { name: 'Take this alert' }).tap();
    await expectText(card.getByTestId('my-alert-status'), 'Taken: please go to the place');

    // The control room, untouched since: status, assignee and the next deadline (on site) change live.
    const row = queueRow();
    await expectText(row.getByTestId('queue-status'), 'Acknowledged');
    await expectText(row.getByTestId('queue-assignees'), new RegExp(WORKER_NAME));
    await expectText(row.getByTestId('deadline'), /^On site\s+\d+:\d\d left$/);
    await expect.poll(() => row.getAttribute('data-status')).toBe('acknowledged');
    await expectSameDocument(desk.page, deskMark);
    expect(desk.errors).toEqual([]);
  });

  it('records arrival and the outcome (disposition and note) from the phone; the alert leaves the queue live', async () => {
    const card = phone.page.locator(`[data-testid="my-alert"][data-alert-id="${alertId}"]`);
    await card.getByRole('button', { name: 'I have arrived' }).tap();
    await expectText(card.getByTestId('my-alert-status'), 'On site: record the outcome when done');
    await expectText(queueRow().getByTestId('queue-status'), 'On site');

    await card.getByRole('button', { name: 'Finished' }).tap();
    const form = card.getByTestId('worker-resolve-form');
    await form.getByText('False alarm', { exact: true }).tap();
    await form.getByLabel('Anything to add (optional)').fill(NOTE);
    await expectAccessible(phone.page, 'worker (resolving)');
    await expectNoHorizontalScroll(phone.page, 'worker (resolving)');
    await saveScreenshot(phone.page, 'worker-resolve');
    await form.getByRole('button', { name: 'Send the outcome' }).tap();

    await card.waitFor({ state: 'detached' });
    await phone.page.getByTestId('my-alerts-empty').waitFor();
    await expectNoHorizontalScroll(phone.page, 'worker (nothing to do)');
    expect(phone.errors).toEqual([]);

    // The control room: gone from the active queue, 1号楼 calm again; still the same document.
    await queueRow().waitFor({ state: 'detached' });
    await expect.poll(() => mapBuilding(street.buildings.b1.id).getAttribute('data-level')).toBe('none');
    expect(await desk.page.getByTestId('queue-row').count()).toBe(1);
    await expectSameDocument(desk.page, deskMark);

    const stored = await t.api<AlertWithHistory>('GET', `/alerts/${alertId}`, undefined, t.adminToken);
    expect(stored.body).toMatchObject({ status: 'resolved', disposition: 'false_alarm' });
    // Every step was hers, and the history keeps the outcome as "disposition: note" (as the API documents it).
    const steps = stored.body.history.filter((h) => h.actor !== null).map((h) => [h.action, h.actor?.name]);
    expect(steps).toEqual([
      ['acknowledge', WORKER_NAME],
      ['on_site', WORKER_NAME],
      ['resolve', WORKER_NAME],
    ]);
    expect(stored.body.history.find((h) => h.toStatus === 'resolved')).toMatchObject({ action: 'resolve', actor: { name: WORKER_NAME }, note: `false_alarm: ${NOTE}` });
    expect(desk.errors).toEqual([]);
  });

  it('opens the device page with its charts, loading ECharts only then', async () => {
    // Every script of the control room's document so far, the first load included: no charts chunk yet.
    const before = await fetchedUrls(desk);
    expect(before.some((url) => url.includes('/assets/'))).toBe(true);
    expect(before.filter(isChartsChunk)).toEqual([]);

    await navigate(desk.page, 'Devices');
    await desk.page.getByRole('heading', { name: 'Devices', level: 1 }).waitFor();
    await expectAccessible(desk.page, 'devices');
    await saveScreenshot(desk.page, 'devices');
    await desk.page.getByTestId('device-link').filter({ hasText: '1号楼3层烟感' }).click();
    await desk.page.getByRole('heading', { name: '1号楼3层烟感', level: 1 }).waitFor();

    const chart = desk.page.locator('[data-testid="metric-chart"][data-metric="temperature"]');
    await chart.locator('[data-testid="metric-canvas"] canvas').waitFor();
    await expectText(chart.getByTestId('metric-stats'), /Latest[\s\S]*°C/);
    // The canvas is drawn on: some pixels are not blank.
    const inked = await chart.locator('canvas').first().evaluate((element) => {
      type Canvas = { width: number; height: number; getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } };
      const canvas = element as unknown as Canvas;
      const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
      let n = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) n++;
      return n;
    });
    expect(inked).toBeGreaterThan(1000);
    expect((await fetchedUrls(desk)).filter(isChartsChunk)).toHaveLength(1);
    await desk.page.getByTestId('device-events').getByText('Fire alarm').first().waitFor();
    await expectAccessible(desk.page, 'device');
    await saveScreenshot(desk.page, 'device');
    await expectSameDocument(desk.page, deskMark);
    expect(desk.errors).toEqual([]);
  });

  it('shows the incident: its facts and a timeline of transitions and notification attempts', async () => {
    await desk.page.goto(t.url(`/incidents/${incidentId}`));
    const view = desk.page.getByTestId('incident-view');
    await view.getByRole('heading', { name: 'Smoke alarm', level: 1 }).waitFor();
    await expectText(view.getByTestId('incident-status'), 'Resolved');
    const texts = () => view.getByTestId('timeline-text').allInnerTexts();
    const expected = [
      'Incident opened (Red)',
      `Paged: ${WORKER_NAME}`,
      new RegExp(`^Webhook delivered to ${WORKER_NAME}（attempt 1）$`),
      'Acknowledged',
      'Arrived on site',
      'Resolved',
    ];
    await expect
      .poll(async () => {
        const shown = await texts();
        return expected.every((e) => shown.some((s) => (typeof e === 'string' ? s.trim() === e : e.test(s.trim()))));
      })
      .toBe(true);
    // In order: opened first, the transitions in the order they happened.
    const shown = (await texts()).map((s) => s.trim());
    const at = (text: string) => shown.indexOf(text);
    expect(at('Incident opened (Red)')).toBe(0);
    expect(at('Acknowledged')).toBeLessThan(at('Arrived on site'));
    expect(at('Arrived on site')).toBeLessThan(at('Resolved'));
    expect(hooks.requests.some((r) => r.path === '/wangfang')).toBe(true);
    await expectAccessible(desk.page, 'incident');
    await saveScreenshot(desk.page, 'incident');
  });

  it('lists all alerts, resolved ones included', async () => {
    await navigate(desk.page, 'Alerts');
    await desk.page.getByRole('heading', { name: 'Alerts', level: 1 }).waitFor();
    await desk.page.getByTestId('alert-filter').getByText('All (including resolved)').click();
    const row = desk.page.locator(`[data-testid="alert-row"][data-alert-id="${alertId}"]`);
    await expectText(row.getByTestId('alert-status'), 'Resolved');
    await expect.poll(() => desk.page.getByTestId('alert-row').count()).toBe(2);
    await expectAccessible(desk.page, 'alerts (all)');
    await saveScreenshot(desk.page, 'alerts-all');
    expect(desk.errors).toEqual([]);
  });

  it('passes axe in every administration section', async () => {
    const admin = await openDashboard(t);
    await login(admin.page, 'admin', ADMIN_PASSWORD);
    await navigate(admin.page, 'Administration');
    const sections = [
      ['places', 'Communities, grids and buildings'],
      ['workers', 'Workers and logins'],
      ['devices', 'Devices'],
      ['rules', 'Warning rules'],
      ['dead-letters', 'Rejected device data'],
    ] as const;
    for (const [section, name] of sections) {
      await admin.page.getByTestId(`admin-tab-${section}`).click();
      await expect.poll(() => admin.page.getByTestId(`admin-tab-${section}`).getAttribute('aria-current')).toBe('page');
      await admin.page.locator(`.tab-body[data-section="${section}"] h2`).first().waitFor();
      expect(await admin.page.title()).toContain(name);
      await expectAccessible(admin.page, `admin: ${section}`);
      await saveScreenshot(admin.page, `admin-${section}`);
    }
    expect(admin.errors).toEqual([]);
  });

  it('fits every page of the signed-in frame on a 390 px phone, without sideways scrolling', async () => {
    const small = await openDashboard(t, { viewport: 'phone' });
    await login(small.page, 'admin', ADMIN_PASSWORD);
    await small.page.getByTestId('control-room').waitFor();
    await expect.poll(() => small.page.getByTestId('map-building').count()).toBe(5);
    const pages: [string, string, () => Promise<unknown>][] = [
      ['control room', '/', () => small.page.getByTestId('queue-row').first().waitFor()],
      ['alerts', '/alerts', () => small.page.getByTestId('alert-list').waitFor()],
      ['devices', '/devices', () => small.page.getByTestId('device-list').waitFor()],
      ['building', `/buildings/${street.buildings.b1.id}`, () => small.page.getByTestId('elevation').waitFor()],
      ['incident', `/incidents/${incidentId}`, () => small.page.getByTestId('incident-timeline').waitFor()],
      ['device', `/devices/${street.smoke.id}`, () => small.page.locator('[data-testid="metric-canvas"] canvas').first().waitFor()],
      ['admin: places', '/admin/places', () => small.page.locator('.tab-body[data-section="places"] h2').first().waitFor()],
      ['admin: workers', '/admin/workers', () => small.page.locator('.tab-body[data-section="workers"] h2').first().waitFor()],
      ['admin: devices', '/admin/devices', () => small.page.locator('.tab-body[data-section="devices"] h2').first().waitFor()],
      ['admin: rules', '/admin/rules', () => small.page.locator('.tab-body[data-section="rules"] h2').first().waitFor()],
      ['admin: dead letters', '/admin/dead-letters', () => small.page.locator('.tab-body[data-section="dead-letters"] h2').first().waitFor()],
      // Community services: their wide tables scroll inside their own boxes.
      ['care', '/care', () => small.page.getByTestId('residents-panel').waitFor()],
      ['kiosks', '/kiosks', () => small.page.getByTestId('coverage-panel').waitFor()],
      ['requests', '/requests', () => small.page.getByTestId('request-list').waitFor()],
      ['request intake', '/requests/new', () => small.page.getByTestId('intake-form').waitFor()],
      ['request statistics', '/requests/stats', () => small.page.getByTestId('request-stats-page').locator('.panel').first().waitFor()],
      ['indicators', '/indicators', () => small.page.getByTestId('indicator-table').waitFor()],
    ];
    const problems: string[] = [];
    for (const [name, path, ready] of pages) {
      await small.page.goto(t.url(path));
      await ready();
      await expectNoHorizontalScroll(small.page, `${name} (phone)`).catch((error: Error) => problems.push(error.message));
      if (name === 'control room') {
        await expectAccessible(small.page, 'control room (phone)');
        await saveScreenshot(small.page, 'control-room-phone');
      }
      // No other browser test opens the community services: axe them here (scrollable tables keyboard-reachable).
      if (['care', 'kiosks', 'requests', 'indicators'].includes(name)) await expectAccessible(small.page, `${name} (phone)`);
    }
    expect(problems).toEqual([]);
    expect(small.errors).toEqual([]);
  });

  it('reads in Chinese: an emergency call in the control room and on the worker’s phone', async () => {
    const room = await openDashboard(t, { locale: 'zh-CN' });
    await login(room.page, LOGINS.operator, PASSWORD);
    await room.page.getByRole('heading', { name: `${COMMUNITY} · 指挥大屏`, level: 1 }).waitFor();
    const worker = await openDashboard(t, { viewport: 'phone', locale: 'zh-CN' });
    await login(worker.page, LOGINS.worker, PASSWORD);
    await worker.page.getByTestId('my-alerts-empty').waitFor();

    await street.devices[2]!.event('sos');
    const row = room.page.getByTestId('queue-row').first();
    await row.getByText('1号楼201呼叫器').waitFor();
    await row.getByText('红色预警（I级）').waitFor();
    const card = worker.page.getByTestId('my-alert');
    await expectText(card.getByTestId('my-alert-title'), '老人紧急呼救');
    await expectText(card.getByTestId('my-alert-status'), '等待您接单');
    await expectAccessible(room.page, 'control room (zh-CN)');
    await saveScreenshot(room.page, 'control-room-zh');
    await expectAccessible(worker.page, 'worker (zh-CN)');
    await expectNoHorizontalScroll(worker.page, 'worker (zh-CN)');
    await saveScreenshot(worker.page, 'worker-zh');
    expect(room.errors).toEqual([]);
    expect(worker.errors).toEqual([]);
  });
});
