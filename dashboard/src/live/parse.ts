/** Reads one text frame of the live stream; anything that is not a known, well-formed event is ignored. */
import type { LiveEvent } from '../../../contract/index.ts';

function hasId(value: unknown): boolean {
  return typeof value === 'object' && value !== null && typeof (value as { id?: unknown }).id === 'string';
}

export function parseLiveEvent(data: unknown): LiveEvent | null {
  if (typeof data !== 'string') return null;
  let event: unknown;
  try {
    event = JSON.parse(data);
  } catch {
    return null;
  }
  if (typeof event !== 'object' || event === null) return null;
  const candidate = event as Record<string, unknown>;
  switch (candidate.type) {
    case 'hello':
      return hasId(candidate.user) ? (event as LiveEvent) : null;
    case 'alert.raised':
    case 'alert.updated':
      return hasId(candidate.alert) ? (event as LiveEvent) : null;
    case 'device.status':
      return hasId(candidate.device) ? (event as LiveEvent) : null;
    case 'incident.updated':
      return hasId(candidate.incident) ? (event as LiveEvent) : null;
    case 'system.alert':
      return hasId(candidate.alert) ? (event as LiveEvent) : null;
    case 'request.updated':
      return hasId(candidate.request) ? (event as LiveEvent) : null;
    case 'ping':
      return event as LiveEvent;
    default:
      return null;
  }
}
