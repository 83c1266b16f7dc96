import { z } from 'zod';

/** Devices may send epoch milliseconds or an ISO-8601 string; a missing `ts` means "now". */
export const DeviceTimestamp = z.union([
  z.number().int().nonnegative(),
  z.iso.datetime({ offset: true, local: false }),
]);

const Seq = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

export const TelemetryPayload = z.strictObject({
  ts: DeviceTimestamp.optional(),
  seq: Seq.optional(),
  values: z.record(z.string(), z.union([z.number(), z.boolean()], { error: 'must be a number or a boolean' })).refine((v) => Object.keys(v).length > 0, {
    message: 'values must name at least one field',
  }),
});
export type TelemetryPayload = z.infer<typeof TelemetryPayload>;

export const EventPayload = z.strictObject({
  ts: DeviceTimestamp.optional(),
  seq: Seq.optional(),
  event: z.string().min(1).max(64),
  data: z.record(z.string(), z.unknown()).optional(),
});
export type EventPayload = z.infer<typeof EventPayload>;

export const DeviceStatus = z.enum(['online', 'offline']);
export type DeviceStatus = z.infer<typeof DeviceStatus>;

export const CommandPayload = z.object({
  id: z.string().min(1),
  command: z.string().min(1),
  args: z.record(z.string(), z.unknown()).optional(),
});
export type CommandPayload = z.infer<typeof CommandPayload>;
