/** A fleet of simulated devices: connects them (a few at a time) and keeps each reporting at its rate. */
import type { DeviceCredentials } from './credentials.ts';
import { SimulatedDevice } from './simulated-device.ts';

export interface FleetOptions {
  mqttUrl: string;
  /** Telemetry messages per second per device. */
  rate: number;
  qos?: 0 | 1;
  onError?: (deviceId: string, payload: string) => void;
  log?: (message: string) => void;
}

export interface Fleet {
  readonly devices: SimulatedDevice[];
  stop(): Promise<void>;
}

export async function startFleet(credentials: DeviceCredentials[], options: FleetOptions): Promise<Fleet> {
  const devices = credentials.map((c) => new SimulatedDevice(c, { mqttUrl: options.mqttUrl, qos: options.qos, onError: options.onError }));
  const CONNECT_CONCURRENCY = 50;
  for (let i = 0; i < devices.length; i += CONNECT_CONCURRENCY) {
    await Promise.all(devices.slice(i, i + CONNECT_CONCURRENCY).map((d) => d.connect()));
  }
  options.log?.(`${devices.length} simulated devices connected to ${options.mqttUrl}`);
  const timers: NodeJS.Timeout[] = [];
  const periodMs = 1000 / options.rate;
  for (const device of devices) {
    // Spread first reports over one period so a fleet does not report in lockstep.
    const first = setTimeout(() => {
      const tick = () => void device.report().then(() => device.liveALittle()).catch(() => undefined);
      tick();
      timers.push(setInterval(tick, periodMs));
    }, Math.random() * periodMs);
    timers.push(first);
  }
  return {
    devices,
    async stop() {
      for (const timer of timers) clearTimeout(timer);
      await Promise.all(devices.map((d) => d.disconnect().catch(() => undefined)));
    },
  };
}
