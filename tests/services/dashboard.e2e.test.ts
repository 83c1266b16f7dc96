/**
 * The dashboard in a real browser (Debian's Chromium) against the real service: sign-in, the alert list,
 * a smoke alarm over MQTT appearing live, acknowledging it; axe on every page and screenshots for the docs.
 * New pages: open them with `openDashboard(t, { viewport })`, sign in with `login`, then
 * `expectAccessible` and `saveScreenshot` (see tests/services/browser/index.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../contract/index.ts';
import { seedCommunity } from '../helpers/service.ts';
import {
  ADMIN_PASSWORD,
  expectAccessible,
  expectSameDocument,
  expectText,
  login,
  markDocument,
  navigate,
  openDashboard,
  saveScreenshot,
  startDashboardService,
  type DashboardService,
} from './browser/index.ts';

let t: DashboardService;
let place: Awaited<ReturnType<typeof seedCommunity>>;

beforeAll(async () => {
  t = await startDashboardService();
  place = await seedCommunity(t);
});
afterAll(() => t?.stop());

describe('dashboard in Chromium', () => {
  // Runs first: no alert has been raised yet.
  it('signs in through the login page and shows the (empty) alert list', async () => {
    const { page, errors } = await openDashboard(t);
    await page.getByRole('heading', { name: 'Sign in to Anju' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/login');
    await expectAccessible(page, 'login');
    await saveScreenshot(page, 'login');

    await login(page, 'admin', ADMIN_PASSWORD);
    await navigate(page, 'Alerts');
    await page.getByRole('heading', { name: 'Alerts', level: 1 }).waitFor();
    await page.getByText('No active alerts.').waitFor();
    await expectAccessible(page, 'alerts (empty)');
    expect(errors).toEqual([]);
  });

  it('refuses a wrong password with a message on the login page', async () => {
    const { page } = await openDashboard(t);
    const form = page.getByTestId('login-form');
    await form.getByLabel('Username').fill('admin');
    await form.getByLabel('Password').fill('not-the-password');
    await form.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').waitFor();
    expect(new URL(page.url()).pathname).toBe('/login');
    await expectAccessible(page, 'login (error)');
  });

  it('shows a smoke alarm live with its level, and acknowledges it from the list', async () => {
    const { page, errors } = await openDashboard(t);
    await login(page, 'admin', ADMIN_PASSWORD);
    await navigate(page, 'Alerts');
    await page.getByText('Live', { exact: true }).waitFor();
    const mark = await markDocument(page);

    const detector = await t.provision({ kind: 'smoke_detector', communityId: place.communityId, gridId: place.gridId, name: 'Kitchen smoke detector', location: { buildingId: place.buildingId, floor: 3 } });
    const list = page.getByRole('list', { name: 'Alerts' });
    const row = list.getByRole('listitem').filter({ hasText: new RegExp(`Kitchen smoke detector|${detector.id}`) });
    expect(await row.count()).toBe(0);

    const client = await t.connectDevice(detector);
    await client.publishAsync(`anju/v1/devices/${detector.id}/events`, JSON.stringify({ seq: 1, event: 'alarm' }), { qos: 1 });

    // Pushed over the live stream: the same document, never reloaded.
    await row.waitFor();
    await row.getByText('Red warning (level I)').waitFor();
    expect(await row.getAttribute('data-level')).toBe('red');
    await expectText(row.getByTestId('alert-status'), 'Open');
    await expectSameDocument(page, mark);
    await expectAccessible(page, 'alerts (red alert)');
    await saveScreenshot(page, 'alerts');

    await row.getByRole('button', { name: 'Acknowledge' }).click();
    await expectText(row.getByTestId('alert-status'), 'Acknowledged');
    await row.getByRole('button', { name: 'On site' }).waitFor();
    await expectSameDocument(page, mark);

    const alertId = await row.getAttribute('data-alert-id');
    const stored = await t.api<Alert>('GET', `/alerts/${alertId}`, undefined, t.adminToken);
    expect(stored.body).toMatchObject({ deviceId: detector.id, level: 'red', status: 'acknowledged' });
    await expectAccessible(page, 'alerts (acknowledged)');
    expect(errors).toEqual([]);
  });

  // After the alarm above: its alert is in the list, acknowledged.
  it('shows the alert list on a phone', async () => {
    const { page, errors } = await openDashboard(t, { viewport: 'phone' });
    await login(page, 'admin', ADMIN_PASSWORD);
    await navigate(page, 'Alerts');
    const row = page.getByRole('list', { name: 'Alerts' }).getByRole('listitem').first();
    await row.getByText('Red warning (level I)').waitFor();
    await expectText(row.getByTestId('alert-status'), 'Acknowledged');
    await expectAccessible(page, 'alerts (phone)');
    await saveScreenshot(page, 'alerts-phone');
    expect(errors).toEqual([]);
  });
});
