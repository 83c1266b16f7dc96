import { z } from 'zod';
import { DeviceKindName } from '../contract/index.ts';

/** What a simulated device needs to connect: its id, secret, kind and where it is. */
export const DeviceCredentials = z.object({
  id: z.string(),
  secret: z.string(),
  kind: DeviceKindName,
  communityId: z.string(),
  buildingId: z.string().nullable().default(null),
});
export type DeviceCredentials = z.infer<typeof DeviceCredentials>;
export const CredentialsFile = z.array(DeviceCredentials);
