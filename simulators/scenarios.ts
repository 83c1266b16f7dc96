/**
 * Scenarios as data: each picks its devices from the fleet and lists timed steps. `normal` is the
 * background every fleet runs; the others add an incident on top of it.
 */
import type { DeviceKind } from '../contract/index.ts';
import type { SimulatedDevice } from './simulated-device.ts';

export interface ScenarioStep {
  /** Seconds after the scenario starts. */
  at: number;
  /** Index into the devices the scenario picked. */
  device: number;
  action:
    | { override: Record<string, number | boolean | undefined> }
    | { event: string; data?: Record<string, unknown> }
    | { report: true }
    /** Whether the device shows the everyday signs of life of a home (doors opening, water running). */
    | { lifeSigns: boolean };
}

export interface Scenario {
  name: string;
  description: string;
  /** The kinds of device the scenario needs, in the order steps refer to them. */
  needs: { kind: DeviceKind; sameBuildingAs?: number }[];
  steps: ScenarioStep[];
}

const ramp = (device: number, field: string, from: number, to: number, seconds: number, every = 2): ScenarioStep[] => {
  const steps: ScenarioStep[] = [];
  for (let t = 0; t <= seconds; t += every) {
    const value = Math.round((from + ((to - from) * t) / seconds) * 10) / 10;
    steps.push({ at: t, device, action: { override: { [field]: value } } }, { at: t, device, action: { report: true } });
  }
  return steps;
};

export const SCENARIOS: Record<string, Scenario> = {
  normal: { name: 'normal', description: 'Every device reports ordinary telemetry; nothing else happens.', needs: [], steps: [] },
  fire: {
    name: 'fire',
    description: 'Smoke builds up in one flat until its detector alarms; a second detector in the same building follows.',
    needs: [{ kind: 'smoke_detector' }, { kind: 'smoke_detector', sameBuildingAs: 0 }],
    steps: [
      ...ramp(0, 'smoke_obscuration', 0.2, 6, 16),
      { at: 18, device: 0, action: { event: 'alarm' } },
      ...ramp(1, 'smoke_obscuration', 0.3, 4, 10).map((s) => ({ ...s, at: s.at + 20 })),
      { at: 32, device: 1, action: { event: 'alarm' } },
    ],
  },
  flood: {
    name: 'flood',
    description: 'Water rises in an underground garage from 0 to 60 cm, climbing yellow, orange and red.',
    needs: [{ kind: 'flood_sensor' }],
    steps: [{ at: 0, device: 0, action: { override: { leak: true } } }, ...ramp(0, 'water_level_cm', 0, 60, 30, 3)],
  },
  sos: {
    name: 'sos',
    description: 'An elderly resident presses the emergency button.',
    needs: [{ kind: 'emergency_button' }],
    steps: [{ at: 0, device: 0, action: { event: 'sos' } }],
  },
  'kiosk-fault': {
    name: 'kiosk-fault',
    description: 'A self-service kiosk runs low on paper, then reports a printer fault.',
    needs: [{ kind: 'kiosk' }],
    steps: [...ramp(0, 'paper_pct', 30, 4, 10), { at: 12, device: 0, action: { event: 'fault', data: { code: 'PRINTER_JAM', message: '打印机卡纸' } } }],
  },
  'elderly-inactivity': {
    name: 'elderly-inactivity',
    description:
      'An elderly person living alone stops stirring: the door stays shut and no water runs for 26 hours, so the platform asks the grid worker to check on them (yellow) once the home has been quiet longer than its quiet period; then the door opens and the alert clears. Takes 26 hours in real time; tests play it on a manual clock.',
    needs: [{ kind: 'door_contact' }],
    steps: [
      { at: 0, device: 0, action: { event: 'close' } },
      { at: 0, device: 0, action: { lifeSigns: false } },
      ...Array.from({ length: 26 }, (_, h) => ({ at: (h + 1) * 3600, device: 0, action: { report: true as const } })),
      { at: 26 * 3600 + 60, device: 0, action: { event: 'open' } },
      { at: 26 * 3600 + 60, device: 0, action: { lifeSigns: true } },
    ],
  },
  'kiosk-paper': {
    name: 'kiosk-paper',
    description: 'A busy kiosk prints until its paper runs out: paper low (blue) and a work order for its maintainer at 8 %, out of service below 5 %, empty at 0 %, refilled 14 s later.',
    needs: [{ kind: 'kiosk' }],
    steps: [
      ...ramp(0, 'paper_pct', 16, 0, 16),
      { at: 1, device: 0, action: { event: 'service_completed', data: { service: '居住证明打印', duration_s: 95, rating: 5 } } },
      { at: 5, device: 0, action: { event: 'service_completed', data: { service: '社保缴费证明打印', duration_s: 120, rating: 4 } } },
      { at: 9, device: 0, action: { event: 'service_completed', data: { service: '个税完税证明打印', duration_s: 80 } } },
      { at: 13, device: 0, action: { event: 'service_completed', data: { service: '居住证明打印', duration_s: 140, rating: 2 } } },
      { at: 30, device: 0, action: { override: { paper_pct: 100 } } },
      { at: 30, device: 0, action: { report: true } },
    ],
  },
};

/** Chooses devices for a scenario from a fleet; undefined when the fleet lacks what it needs. */
export function castScenario(scenario: Scenario, fleet: readonly SimulatedDevice[], random: () => number = Math.random): SimulatedDevice[] | undefined {
  const chosen: SimulatedDevice[] = [];
  for (const need of scenario.needs) {
    const anchor = need.sameBuildingAs === undefined ? undefined : chosen[need.sameBuildingAs];
    const candidates = fleet.filter(
      (d) => d.credentials.kind === need.kind && !chosen.includes(d) && (!anchor || (anchor.credentials.buildingId !== null && d.credentials.buildingId === anchor.credentials.buildingId)),
    );
    if (!candidates.length) return undefined;
    chosen.push(candidates[Math.floor(random() * candidates.length)]!);
  }
  return chosen;
}

export async function runScenario(scenario: Scenario, devices: SimulatedDevice[], sleep: (ms: number) => Promise<void>, speed = 1): Promise<void> {
  let elapsed = 0;
  const steps = [...scenario.steps].sort((a, b) => a.at - b.at);
  for (const step of steps) {
    if (step.at > elapsed) {
      await sleep(((step.at - elapsed) * 1000) / speed);
      elapsed = step.at;
    }
    const device = devices[step.device]!;
    const action = step.action;
    if ('override' in action) for (const [field, value] of Object.entries(action.override)) device.override(field, value);
    else if ('event' in action) await device.event(action.event, action.data);
    else if ('lifeSigns' in action) device.lifeSigns = action.lifeSigns;
    else await device.report();
  }
  for (const device of devices) for (const field of Object.keys(device.kind.metrics)) device.override(field, undefined);
}
