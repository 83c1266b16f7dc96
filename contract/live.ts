/** Events pushed on `GET /api/v1/stream` (WebSocket or Server-Sent Events). */
import { z } from 'zod';
import { Alert, Device, Incident, SystemAlert, User } from './api.ts';
import { ServiceRequest } from './requests.ts';

export const LiveEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('hello'), at: z.string(), user: User }),
  z.object({ type: z.literal('alert.raised'), alert: Alert }),
  z.object({ type: z.literal('alert.updated'), alert: Alert }),
  z.object({ type: z.literal('device.status'), device: Device }),
  /** An incident opened, grew, was confirmed, escalated or moved on its lifecycle. */
  z.object({ type: z.literal('incident.updated'), incident: Incident }),
  /** A platform alert raised or cleared (the storage outage), for admins and operators. */
  z.object({ type: z.literal('system.alert'), alert: SystemAlert }),
  /** A resident's request came in or moved (assigned, escalated, responded, closed, rated); the phone masked by role. */
  z.object({ type: z.literal('request.updated'), request: ServiceRequest }),
  /** Sent every 25 s on an idle WebSocket so clients can tell a live connection from a half-open one. */
  z.object({ type: z.literal('ping'), at: z.string() }),
]);
export type LiveEvent = z.infer<typeof LiveEvent>;
export type LiveEventType = LiveEvent['type'];
