/**
 * The device ACL of the contract: a device publishes only under its own `anju/v1/devices/{id}/`
 * prefix (telemetry, events, status) and subscribes only to its own `commands` and `errors` topics.
 */
import { DOWNLINK_CHANNELS, parseDeviceTopic, UPLINK_CHANNELS, type DeviceChannel } from '../contract/index.ts';

export type PublishDecision = { allowed: true; channel: DeviceChannel } | { allowed: false; reason: 'topic_not_allowed' | 'sys_topic' };

export function authorizeDevicePublish(deviceId: string, topic: string): PublishDecision {
  if (topic.startsWith('$')) return { allowed: false, reason: 'sys_topic' };
  const parsed = parseDeviceTopic(topic);
  if (!parsed || parsed.deviceId !== deviceId || !UPLINK_CHANNELS.has(parsed.channel)) return { allowed: false, reason: 'topic_not_allowed' };
  return { allowed: true, channel: parsed.channel };
}

/** Exact topics only: wildcards would reach other devices' traffic. */
export function authorizeDeviceSubscribe(deviceId: string, topic: string): boolean {
  const parsed = parseDeviceTopic(topic);
  return parsed !== undefined && parsed.deviceId === deviceId && DOWNLINK_CHANNELS.has(parsed.channel);
}
