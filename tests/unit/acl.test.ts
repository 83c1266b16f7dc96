import { describe, expect, it } from 'vitest';
import { authorizeDevicePublish, authorizeDeviceSubscribe } from '../../gateway/acl.ts';

describe('device ACL', () => {
  it('lets a device publish telemetry, events and status under its own prefix', () => {
    for (const channel of ['telemetry', 'events', 'status']) {
      expect(authorizeDevicePublish('smoke-1', `anju/v1/devices/smoke-1/${channel}`)).toEqual({ allowed: true, channel });
    }
  });

  it("refuses publishing for another device, on down-link topics, deeper topics and $SYS", () => {
    expect(authorizeDevicePublish('smoke-1', 'anju/v1/devices/smoke-2/telemetry')).toEqual({ allowed: false, reason: 'topic_not_allowed' });
    expect(authorizeDevicePublish('smoke-1', 'anju/v1/devices/smoke-1/commands')).toEqual({ allowed: false, reason: 'topic_not_allowed' });
    expect(authorizeDevicePublish('smoke-1', 'anju/v1/devices/smoke-1/errors')).toEqual({ allowed: false, reason: 'topic_not_allowed' });
    expect(authorizeDevicePublish('smoke-1', 'anju/v1/devices/smoke-1/telemetry/x')).toEqual({ allowed: false, reason: 'topic_not_allowed' });
    expect(authorizeDevicePublish('smoke-1', '$SYS/broker/x')).toEqual({ allowed: false, reason: 'sys_topic' });
  });

  it('lets a device subscribe only to its own commands and errors, without wildcards', () => {
    expect(authorizeDeviceSubscribe('smoke-1', 'anju/v1/devices/smoke-1/commands')).toBe(true);
    expect(authorizeDeviceSubscribe('smoke-1', 'anju/v1/devices/smoke-1/errors')).toBe(true);
    for (const topic of ['#', '$SYS/#', 'anju/v1/devices/+/commands', 'anju/v1/devices/smoke-1/#', 'anju/v1/devices/smoke-2/commands', 'anju/v1/devices/smoke-1/telemetry']) {
      expect(authorizeDeviceSubscribe('smoke-1', topic), topic).toBe(false);
    }
  });
});
