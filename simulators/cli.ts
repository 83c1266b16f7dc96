/**
 * `npm run simulate -- [options]`: runs simulated devices over real MQTT against a running Anju.
 *
 *   --scenario normal|fire|flood|sos|kiosk-fault|kiosk-paper|elderly-inactivity   what happens (default normal)
 *   --devices N        devices to provision (default 14: two of every kind)
 *   --rate R           telemetry messages per second per device (default 0.2)
 *   --duration S       seconds to run, 0 = until Ctrl-C (default 0; an incident scenario ends with it)
 *   --api URL          the HTTP base (default http://127.0.0.1:8080)
 *   --mqtt URL         the broker (default mqtt://127.0.0.1:1883)
 *   --username U --password P   an admin, operator or vendor login for provisioning (default admin / $ANJU_ADMIN_PASSWORD)
 *   --credentials FILE use devices from a JSON file instead of provisioning ([{id, secret, kind, communityId, buildingId}])
 *   --save FILE        write the provisioned devices' credentials to FILE
 */
import fs from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { CredentialsFile, type DeviceCredentials } from './credentials.ts';
import { startFleet } from './fleet.ts';
import { ApiClient, provisionFleet } from './provision.ts';
import { castScenario, runScenario, SCENARIOS } from './scenarios.ts';

const { values } = parseArgs({
  options: {
    scenario: { type: 'string', default: 'normal' },
    devices: { type: 'string', default: '14' },
    rate: { type: 'string', default: '0.2' },
    duration: { type: 'string', default: '0' },
    api: { type: 'string', default: 'http://127.0.0.1:8080' },
    mqtt: { type: 'string', default: 'mqtt://127.0.0.1:1883' },
    username: { type: 'string', default: 'admin' },
    password: { type: 'string', default: process.env.ANJU_ADMIN_PASSWORD ?? '' },
    credentials: { type: 'string' },
    save: { type: 'string' },
  },
});

const fail = (message: string): never => {
  console.error(`simulate: ${message}`);
  process.exit(2);
};

const scenario = SCENARIOS[values.scenario] ?? fail(`unknown scenario "${values.scenario}"; choose one of ${Object.keys(SCENARIOS).join(', ')}`);
const count = Number(values.devices);
const rate = Number(values.rate);
const duration = Number(values.duration);
if (!Number.isInteger(count) || count < 1) fail('--devices must be a whole number ≥ 1');
if (!(rate > 0)) fail('--rate must be a number > 0');
if (!(duration >= 0)) fail('--duration must be a number ≥ 0');

let credentials: DeviceCredentials[];
if (values.credentials) {
  credentials = CredentialsFile.parse(JSON.parse(await fs.readFile(values.credentials, 'utf8')));
} else {
  if (!values.password) fail('--password (or ANJU_ADMIN_PASSWORD) is needed to provision devices; or pass --credentials FILE');
  const api = new ApiClient(values.api);
  await api.login(values.username, values.password);
  credentials = await provisionFleet(api, { count });
  console.log(`provisioned ${credentials.length} devices`);
  if (values.save) await fs.writeFile(values.save, JSON.stringify(credentials, null, 2), { mode: 0o600 });
}

const fleet = await startFleet(credentials, {
  mqttUrl: values.mqtt,
  rate,
  log: console.log,
  onError: (id, payload) => console.warn(`device ${id} got an error: ${payload}`),
});
const stop = async () => {
  await fleet.stop();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());

if (scenario.steps.length) {
  const cast = castScenario(scenario, fleet.devices) ?? fail(`the fleet lacks the devices "${scenario.name}" needs (${scenario.needs.map((n) => n.kind).join(', ')})`);
  console.log(`scenario ${scenario.name}: ${scenario.description} (devices ${cast.map((d) => d.id).join(', ')})`);
  await runScenario(scenario, cast, (ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  console.log(`scenario ${scenario.name} done`);
  if (!duration) await stop();
}
if (duration) setTimeout(() => void stop(), duration * 1000);
