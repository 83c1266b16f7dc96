/**
 * What a vendor needs to connect a freshly provisioned device, per dialect (see docs/device-contract.md
 * and gateway/dialects/): broker addresses, login, and the topics to publish on.
 * ALink logins are signed: password = hex HMAC-SHA256 of `clientId{id}deviceName{dn}productKey{pk}`
 * keyed with the device secret, client id `{id}|securemode=3,signmethod=hmacsha256|`.
 */
import type { ProvisionedDevice } from '../../../contract/index.ts';

/** The MQTT/TCP port unless the operator set ANJU_MQTT_PORT (the API does not say which). */
export const DEFAULT_MQTT_PORT = 1883;

export interface BrokerAddress {
  host: string;
  port: number;
  /** MQTT over WebSocket on the dashboard's own address. */
  websocketUrl: string;
}

export function brokerAddress(location: Pick<Location, 'protocol' | 'host' | 'hostname'>): BrokerAddress {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return { host: location.hostname, port: DEFAULT_MQTT_PORT, websocketUrl: `${scheme}://${location.host}/mqtt` };
}

export interface Login {
  clientId: string;
  username: string;
  /** The password itself, or null when it must be computed (an ALink signature without Web Crypto). */
  password: string | null;
}

export interface TopicUse {
  topic: string;
  direction: 'up' | 'down';
  what: 'telemetry' | 'events' | 'status' | 'replies' | 'commands' | 'errors' | 'properties' | 'event' | 'service' | 'attributes';
}

export function anjuTopics(id: string): TopicUse[] {
  const base = `anju/v1/devices/${id}`;
  return [
    { topic: `${base}/telemetry`, direction: 'up', what: 'telemetry' },
    { topic: `${base}/events`, direction: 'up', what: 'events' },
    { topic: `${base}/status`, direction: 'up', what: 'status' },
    { topic: `${base}/replies`, direction: 'up', what: 'replies' },
    { topic: `${base}/commands`, direction: 'down', what: 'commands' },
    { topic: `${base}/errors`, direction: 'down', what: 'errors' },
  ];
}

export function alinkTopics(productKey: string, deviceName: string): TopicUse[] {
  const base = `/sys/${productKey}/${deviceName}/thing`;
  return [
    { topic: `${base}/event/property/post`, direction: 'up', what: 'properties' },
    { topic: `${base}/event/{eventId}/post`, direction: 'up', what: 'event' },
    { topic: `${base}/service/{command}`, direction: 'down', what: 'service' },
  ];
}

export function thingsboardTopics(): TopicUse[] {
  return [
    { topic: 'v1/devices/me/telemetry', direction: 'up', what: 'telemetry' },
    { topic: 'v1/devices/me/attributes', direction: 'up', what: 'attributes' },
  ];
}

/** The fields an ALink login signs, in the order ALink sorts them. */
export function alinkSignContent(clientId: string, deviceName: string, productKey: string): string {
  return `clientId${clientId}deviceName${deviceName}productKey${productKey}`;
}

export function alinkClientId(id: string): string {
  return `${id}|securemode=3,signmethod=hmacsha256|`;
}

/** Hex HMAC-SHA256 through Web Crypto; null where the browser offers none (plain HTTP away from localhost). */
export async function hmacSha256Hex(key: string, content: string, subtle: SubtleCrypto | null = globalThis.crypto?.subtle ?? null): Promise<string | null> {
  if (!subtle) return null;
  const encoder = new TextEncoder();
  const cryptoKey = await subtle.importKey('raw', encoder.encode(key), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const signature = await subtle.sign('HMAC', cryptoKey, encoder.encode(content));
  return [...new Uint8Array(signature)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** The login a device uses; ALink's password is its signature for the client id shown. */
export async function deviceLogin(device: Pick<ProvisionedDevice, 'id' | 'dialect' | 'productKey' | 'deviceName' | 'secret'>): Promise<Login> {
  if (device.dialect === 'alink' && device.productKey && device.deviceName) {
    const clientId = device.id;
    return {
      clientId: alinkClientId(clientId),
      username: `${device.deviceName}&${device.productKey}`,
      password: await hmacSha256Hex(device.secret, alinkSignContent(clientId, device.deviceName, device.productKey)).catch(() => null),
    };
  }
  return { clientId: device.id, username: device.id, password: device.secret };
}

export function deviceTopics(device: Pick<ProvisionedDevice, 'id' | 'dialect' | 'productKey' | 'deviceName'>): TopicUse[] {
  if (device.dialect === 'alink' && device.productKey && device.deviceName) return alinkTopics(device.productKey, device.deviceName);
  if (device.dialect === 'thingsboard') return [...thingsboardTopics(), ...anjuTopics(device.id).filter((t) => t.direction === 'down')];
  return anjuTopics(device.id);
}
