/**
 * The registry of device kinds. Adding a kind: add its file to this folder and one line here;
 * a test fails when a file of this folder is not registered.
 */
import type { DeviceKindDefinition } from './builders.ts';
import broadcastSpeaker from './broadcast-speaker.ts';
import doorContact from './door-contact.ts';
import electricalMonitor from './electrical-monitor.ts';
import emergencyButton from './emergency-button.ts';
import floodSensor from './flood-sensor.ts';
import gasDetector from './gas-detector.ts';
import kiosk from './kiosk.ts';
import smokeDetector from './smoke-detector.ts';
import waterMeter from './water-meter.ts';

export const DEVICE_KIND_DEFINITIONS = [
  smokeDetector,
  gasDetector,
  floodSensor,
  electricalMonitor,
  emergencyButton,
  doorContact,
  kiosk,
  broadcastSpeaker,
  waterMeter,
] as const satisfies readonly DeviceKindDefinition[];

export type { DeviceKindDefinition, EventDefinition, MetricDefinition } from './builders.ts';

export type DeviceKind = (typeof DEVICE_KIND_DEFINITIONS)[number]['kind'];
export const DEVICE_KINDS = DEVICE_KIND_DEFINITIONS.map((d) => d.kind) as [DeviceKind, ...DeviceKind[]];

const byKind = new Map<string, DeviceKindDefinition>(DEVICE_KIND_DEFINITIONS.map((d) => [d.kind, d]));

export function findDeviceKind(kind: string): DeviceKindDefinition | undefined {
  return byKind.get(kind);
}

export function deviceKind(kind: DeviceKind): DeviceKindDefinition {
  const definition = byKind.get(kind);
  if (!definition) throw new Error(`unregistered device kind ${kind}`);
  return definition;
}
