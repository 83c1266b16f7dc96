/** The HTTP hooks an external MQTT cluster (EMQX) calls to authenticate and authorise devices. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signAlink } from '../../gateway/dialects/alink/signature.ts';
import { seedCommunity, startTestService, type TestService } from '../helpers/service.ts';

let t: TestService;
let place: Awaited<ReturnType<typeof seedCommunity>>;

beforeAll(async () => {
  // The upstream cluster is unreachable here: the service starts anyway and serves the hooks.
  t = await startTestService({ env: { ANJU_MQTT_UPSTREAM_URL: 'mqtt://anju-platform:pw@127.0.0.1:1' } });
  place = await seedCommunity(t);
});
afterAll(() => t?.stop());

const hook = async (path: string, body: object) => (await t.service.app.inject({ method: 'POST', url: `/api/v1/mqtt/${path}`, payload: body })).json() as { result: string };

describe('MQTT cluster hooks', () => {
  it('authenticates canonical and ALink device credentials, and nothing else', async () => {
    const device = await t.provision({ kind: 'gas_detector', communityId: place.communityId, gridId: place.gridId });
    expect(await hook('authenticate', { clientid: 'x', username: device.id, password: device.secret })).toEqual({ result: 'allow', is_superuser: false });
    expect((await hook('authenticate', { clientid: 'x', username: device.id, password: 'wrong' })).result).toBe('deny');
    expect((await hook('authenticate', { clientid: 'x', username: 'nobody', password: 'x' })).result).toBe('deny');
    const alink = await t.provision({ kind: 'gas_detector', communityId: place.communityId, productKey: 'pkHook', deviceName: 'dn1' });
    const password = signAlink(alink.secret, 'hmacsha256', { clientId: 'fw', deviceName: 'dn1', productKey: 'pkHook' });
    expect((await hook('authenticate', { clientid: 'fw|securemode=3,signmethod=hmacsha256|', username: 'dn1&pkHook', password })).result).toBe('allow');
  });

  it('authorises like the embedded broker: own topics only, no wildcards beyond them', async () => {
    const device = await t.provision({ kind: 'gas_detector', communityId: place.communityId, gridId: place.gridId });
    const can = async (action: 'publish' | 'subscribe', topic: string) => (await hook('authorize', { clientid: 'x', username: device.id, topic, action })).result;
    expect(await can('publish', `anju/v1/devices/${device.id}/telemetry`)).toBe('allow');
    expect(await can('publish', 'anju/v1/devices/someone/telemetry')).toBe('deny');
    expect(await can('publish', '$SYS/x')).toBe('deny');
    expect(await can('subscribe', `anju/v1/devices/${device.id}/commands`)).toBe('allow');
    expect(await can('subscribe', '#')).toBe('deny');
  });

  it('reports an unreachable cluster in /readyz', async () => {
    const ready = (await t.service.app.inject({ method: 'GET', url: '/readyz' })).json() as { status: string; checks: Record<string, string> };
    expect(ready).toMatchObject({ status: 'not_ready', checks: { upstream: 'disconnected', database: 'ok' } });
  });

  it("leaves the platform's own cluster login to the cluster", async () => {
    expect((await hook('authenticate', { clientid: 'anju-1', username: 'anju-platform', password: 'pw' })).result).toBe('ignore');
  });
});
