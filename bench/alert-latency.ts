/**
 * Alarm publish → alert on the live stream (a WebSocket client, as the dashboard), with a background
 * fleet sending telemetry. Runs the real service on the embedded PostgreSQL in this process.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import type { LiveEvent } from '../contract/index.ts';
import { parseConfig } from '../platform/config.ts';
import { createLogger } from '../platform/logger.ts';
import { startService } from '../platform/service.ts';
import { startFleet } from '../simulators/fleet.ts';
import { ApiClient, provisionFleet } from '../simulators/provision.ts';
import { SimulatedDevice } from '../simulators/simulated-device.ts';
import { summarise } from './stats.ts';

export async function alertLatencyBench(options: { alarms?: number; backgroundDevices?: number; backgroundRate?: number } = {}) {
  const alarms = options.alarms ?? 200;
  const backgroundDevices = options.backgroundDevices ?? 200;
  const backgroundRate = options.backgroundRate ?? 1;
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'anju-bench-'));
  await fs.chmod(dataDir, 0o755);
  const password = 'bench-admin-password';
  const service = await startService(parseConfig({ ANJU_DATA_DIR: dataDir, ANJU_HTTP_PORT: '0', ANJU_MQTT_PORT: '0', ANJU_ADMIN_PASSWORD: password }), {
    logger: createLogger('warn'),
  });
  try {
    const api = new ApiClient(service.httpUrl);
    const { token } = await api.login('admin', password);
    const background = await provisionFleet(api, { count: backgroundDevices, kinds: ['gas_detector', 'electrical_monitor', 'kiosk'] });
    const [button] = await provisionFleet(api, { count: 1, kinds: ['emergency_button'] });
    const mqttUrl = `mqtt://127.0.0.1:${service.mqttPort}`;
    const fleet = await startFleet(background, { mqttUrl, rate: backgroundRate, qos: 1 });
    const device = new SimulatedDevice(button!, { mqttUrl });
    await device.connect();

    const socket = new WebSocket(`${service.httpUrl.replace('http', 'ws')}/api/v1/stream?access_token=${token}`);
    let waiting: ((at: number) => void) | undefined;
    socket.on('message', (data) => {
      const event = JSON.parse(String(data)) as LiveEvent;
      if ((event.type === 'alert.raised' || event.type === 'alert.updated') && event.alert.deviceId === button!.id) waiting?.(performance.now());
    });
    await new Promise((resolve) => socket.once('open', resolve));

    const samples: number[] = [];
    for (let i = 0; i < alarms; i++) {
      const received = new Promise<number>((resolve) => (waiting = resolve));
      const sent = performance.now();
      await device.event('sos');
      samples.push((await received) - sent);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    socket.close();
    await device.disconnect();
    await fleet.stop();
    return { alarms, backgroundDevices, backgroundMessagesPerSecond: backgroundDevices * backgroundRate, latencyMs: summarise(samples) };
  } finally {
    await service.stop();
    await fs.rm(dataDir, { recursive: true, force: true });
  }
}
