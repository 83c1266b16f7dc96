/** Shipped rules move with a release unless someone edited them: a restart brings unedited defaults up to date. */
import { afterAll, describe, expect, it } from 'vitest';
import type { StoredRule } from '../../contract/index.ts';
import { startTestService, type TestService } from '../helpers/service.ts';

let t: TestService;
afterAll(() => t?.stop());

describe('shipped rules across releases', () => {
  it('updates an unedited default at start and keeps an edited one', async () => {
    t = await startTestService();
    // As an older release stored them: the SOS rule without its cancel window; the fall rule edited since.
    await t.service.db.query(`UPDATE rules SET definition = definition #- '{condition,cancelWithinS}' WHERE id = 'emergency_button.sos'`);
    const edit = await t.api<StoredRule>('PUT', '/rules/emergency_button.fall', { condition: { type: 'event', event: 'fall', level: 'orange', clearEvent: 'cancel' } }, t.adminToken);
    expect(edit.body.version).toBe(2);
    const databaseUrl = t.databaseUrl;
    await t.stop();
    t = await startTestService({ databaseUrl });
    const sos = (await t.api<StoredRule>('GET', '/rules/emergency_button.sos', undefined, t.adminToken)).body;
    expect(sos).toMatchObject({ version: 1, condition: { cancelWithinS: 60 } });
    const fall = (await t.api<StoredRule>('GET', '/rules/emergency_button.fall', undefined, t.adminToken)).body;
    expect(fall).toMatchObject({ version: 2, condition: { level: 'orange' } });
    expect(fall.condition).not.toHaveProperty('cancelWithinS');
  });
});
