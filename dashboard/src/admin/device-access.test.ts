import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { makeProvisioned } from '../testing/admin-fixtures.ts';
import { alinkSignContent, brokerAddress, deviceLogin, deviceTopics, hmacSha256Hex } from './device-access.ts';

describe('device access', () => {
  it('signs an ALink login as the gateway checks it', async () => {
    const device = makeProvisioned({ id: 'dev-9', dialect: 'alink', productKey: 'a1Pk', deviceName: 'smoke-01', secret: 'k3y' });
    const login = await deviceLogin(device);
    const expected = createHmac('sha256', 'k3y').update('clientIddev-9deviceNamesmoke-01productKeya1Pk').digest('hex');
    expect(alinkSignContent('dev-9', 'smoke-01', 'a1Pk')).toBe('clientIddev-9deviceNamesmoke-01productKeya1Pk');
    expect(login).toEqual({ clientId: 'dev-9|securemode=3,signmethod=hmacsha256|', username: 'smoke-01&a1Pk', password: expected });
    expect(deviceTopics(device).map((t) => t.topic)).toContain('/sys/a1Pk/smoke-01/thing/event/property/post');
  });

  it('gives canonical devices their id and secret and their own topics', async () => {
    const device = makeProvisioned({ id: 'dev-1', secret: 'abc' });
    expect(await deviceLogin(device)).toEqual({ clientId: 'dev-1', username: 'dev-1', password: 'abc' });
    expect(deviceTopics(device).map((t) => t.topic)).toEqual([
      'anju/v1/devices/dev-1/telemetry',
      'anju/v1/devices/dev-1/events',
      'anju/v1/devices/dev-1/status',
      'anju/v1/devices/dev-1/replies',
      'anju/v1/devices/dev-1/commands',
      'anju/v1/devices/dev-1/errors',
    ]);
  });

  it('returns no signature where Web Crypto is missing', async () => {
    expect(await hmacSha256Hex('k', 'c', null)).toBeNull();
  });

  it('takes the broker host from the page and MQTT over WebSocket from its address', () => {
    expect(brokerAddress({ protocol: 'https:', host: 'anju.example:8443', hostname: 'anju.example' })).toEqual({
      host: 'anju.example',
      port: 1883,
      websocketUrl: 'wss://anju.example:8443/mqtt',
    });
  });
});
