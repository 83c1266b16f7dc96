/**
 * `npm run demo`: builds the dashboard, starts broker + platform on the embedded database, seeds the
 * demo street on an empty data directory, runs the simulators with an occasional incident, and prints
 * the dashboard URL and the logins.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { CredentialsFile, type DeviceCredentials } from '../../simulators/credentials.ts';
import { startFleet, type Fleet } from '../../simulators/fleet.ts';
import { ApiClient } from '../../simulators/provision.ts';
import { castScenario, runScenario, SCENARIOS } from '../../simulators/scenarios.ts';
import type { Community } from '../../contract/index.ts';
import { ensureDashboardBuilt } from '../dashboard-build.ts';
import { isMain } from '../is-main.ts';
import { createLogger } from '../logger.ts';
import { loadConfigOrExit } from '../main.ts';
import { startService } from '../service.ts';
import { seedDemo, type DemoLogin } from './seed.ts';

export const DEMO_ADMIN_PASSWORD = 'anju-admin';
const INCIDENT_EVERY_MS = 3 * 60_000;
const FIRST_INCIDENT_MS = 45_000;

export async function runDemo() {
  const base = loadConfigOrExit();
  const config = Object.freeze({ ...base, adminPassword: base.adminPassword ?? DEMO_ADMIN_PASSWORD });
  const logger = createLogger(config.logLevel);
  const dashboardDir = await ensureDashboardBuilt(false, (m) => logger.info(m));
  const service = await startService(config, { logger, dashboardDir });

  const api = new ApiClient(service.httpUrl);
  await api.login('admin', config.adminPassword);
  const credentialsFile = path.join(config.dataDir, 'demo-devices.json');
  let devices: DeviceCredentials[] = [];
  let logins: DemoLogin[] = [];
  const communities = await api.call<Community[]>('GET', '/communities');
  if (!communities.length) {
    ({ devices, logins } = await seedDemo(api));
    await fs.writeFile(credentialsFile, JSON.stringify(devices, null, 2), { mode: 0o600 });
    await fs.writeFile(path.join(config.dataDir, 'demo-logins.json'), JSON.stringify(logins, null, 2), { mode: 0o600 });
    logger.info({ devices: devices.length }, 'seeded the demo street');
  } else {
    devices = await fs.readFile(credentialsFile, 'utf8').then((text) => CredentialsFile.parse(JSON.parse(text)), () => []);
    logins = await fs.readFile(path.join(config.dataDir, 'demo-logins.json'), 'utf8').then((text) => JSON.parse(text) as DemoLogin[], () => []);
    if (!devices.length) logger.warn(`this data directory holds data but no ${credentialsFile}; the simulators will not run`);
  }

  let fleet: Fleet | undefined;
  let incidentTimer: NodeJS.Timeout | undefined;
  if (devices.length) {
    fleet = await startFleet(devices, { mqttUrl: `mqtt://${config.host}:${service.mqttPort}`, rate: 0.1 });
    // One household's door contact has a tired battery: a blue warning from the start.
    fleet.devices.find((d) => d.kind.kind === 'door_contact')?.override('battery', 15);
    const incidents = ['fire', 'sos', 'flood', 'kiosk-fault', 'kiosk-paper'];
    let next = 0;
    const incident = async () => {
      const scenario = SCENARIOS[incidents[next++ % incidents.length]!]!;
      const cast = castScenario(scenario, fleet!.devices);
      if (!cast) return;
      logger.info({ scenario: scenario.name, devices: cast.map((d) => d.id) }, `demo incident: ${scenario.description}`);
      await runScenario(scenario, cast, (ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    };
    const schedule = (delay: number) => {
      incidentTimer = setTimeout(() => {
        void incident().catch((err: unknown) => logger.warn({ err }, 'demo incident failed'));
        schedule(INCIDENT_EVERY_MS);
      }, delay);
    };
    schedule(FIRST_INCIDENT_MS);
  }

  const stop = async () => {
    clearTimeout(incidentTimer);
    await fleet?.stop();
    await service.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());

  const lines = [
    '',
    '  安居 Anju demo is running',
    `  Dashboard:  ${service.httpUrl}/`,
    `  API docs:   ${service.httpUrl}/docs`,
    `  MQTT:       mqtt://${config.host}:${service.mqttPort}   (WebSocket: ${service.httpUrl.replace('http', 'ws')}/mqtt)`,
    '',
    '  Logins (username / password):',
    `    admin / ${base.adminPassword ? '(your ANJU_ADMIN_PASSWORD)' : DEMO_ADMIN_PASSWORD}   administrator`,
    ...logins.map((l) => `    ${l.username} / ${l.password}   ${l.role}: ${l.who}`),
    '',
    `  ${devices.length} simulated devices report every 10 s; an incident (fire, sos, flood, kiosk fault, kiosk out of paper) every ${INCIDENT_EVERY_MS / 60_000} minutes, the first in ${FIRST_INCIDENT_MS / 1000} s.`,
    '  Ctrl-C stops everything.',
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  return { service, fleet, stop };
}

if (isMain(import.meta.url)) await runDemo();

