/** Canonical MQTT topics of the device contract (v1). */
export const TOPIC_PREFIX = 'anju/v1/devices/';

export const DEVICE_CHANNELS = ['telemetry', 'events', 'status', 'replies', 'commands', 'errors'] as const;
export type DeviceChannel = (typeof DEVICE_CHANNELS)[number];

/** Channels a device may publish on (`replies` answers commands); `commands` and `errors` only flow down. */
export const UPLINK_CHANNELS: ReadonlySet<DeviceChannel> = new Set(['telemetry', 'events', 'status', 'replies']);
/** Channels a device may subscribe to. */
export const DOWNLINK_CHANNELS: ReadonlySet<DeviceChannel> = new Set(['commands', 'errors']);

export function deviceTopic(deviceId: string, channel: DeviceChannel): string {
  return `${TOPIC_PREFIX}${deviceId}/${channel}`;
}

export interface ParsedDeviceTopic {
  deviceId: string;
  channel: DeviceChannel;
}

/** Parses `anju/v1/devices/{id}/{channel}`; anything else (extra levels, wildcards) is `undefined`. */
export function parseDeviceTopic(topic: string): ParsedDeviceTopic | undefined {
  if (!topic.startsWith(TOPIC_PREFIX)) return undefined;
  const rest = topic.slice(TOPIC_PREFIX.length);
  const slash = rest.indexOf('/');
  if (slash <= 0 || rest.indexOf('/', slash + 1) !== -1) return undefined;
  const deviceId = rest.slice(0, slash);
  const channel = rest.slice(slash + 1);
  if (deviceId === '+' || deviceId === '#') return undefined;
  if (!(DEVICE_CHANNELS as readonly string[]).includes(channel)) return undefined;
  return { deviceId, channel: channel as DeviceChannel };
}

/** Emergency broadcasts to the speakers of a community (`broadcast_speaker` devices subscribe). */
export function broadcastTopic(communityId: string): string {
  return `anju/v1/broadcast/${communityId}`;
}
