/**
 * The ALink MQTT login: client id `{anything}|securemode=3,signmethod=hmacsha256[,timestamp=…]|`,
 * username `{deviceName}&{productKey}`, password the hex HMAC of the sorted parameters
 * (`clientId{anything}deviceName{dn}productKey{pk}[timestamp{ts}]`) keyed with the device secret.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export type SignMethod = 'hmacsha256' | 'hmacsha1';

export interface AlinkLogin {
  productKey: string;
  deviceName: string;
  clientId: string;
  signMethod: SignMethod;
  /** Parameters that enter the signature besides productKey and deviceName. */
  params: Record<string, string>;
  signature: string;
}

/** Recognises an ALink login; undefined for any other client id / username shape. */
export function parseAlinkLogin(clientId: string, username: string | undefined, password: string | undefined): AlinkLogin | undefined {
  const match = /^([^|]*)\|([^|]*)\|$/.exec(clientId);
  if (!match || !username || password === undefined) return undefined;
  const amp = username.indexOf('&');
  if (amp <= 0 || amp === username.length - 1) return undefined;
  const options: Record<string, string> = {};
  for (const pair of match[2]!.split(',')) {
    const eq = pair.indexOf('=');
    if (eq > 0) options[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim();
  }
  if (!options.securemode) return undefined;
  const signMethod = (options.signmethod ?? 'hmacsha256').toLowerCase();
  if (signMethod !== 'hmacsha256' && signMethod !== 'hmacsha1') return undefined;
  const params: Record<string, string> = { clientId: match[1]! };
  if (options.timestamp) params.timestamp = options.timestamp;
  return { deviceName: username.slice(0, amp), productKey: username.slice(amp + 1), clientId: match[1]!, signMethod, params, signature: password };
}

export function signAlink(secret: string, method: SignMethod, fields: Record<string, string>): string {
  const content = Object.keys(fields)
    .sort()
    .map((key) => `${key}${fields[key]}`)
    .join('');
  return createHmac(method === 'hmacsha1' ? 'sha1' : 'sha256', secret).update(content).digest('hex');
}

export function verifyAlink(login: AlinkLogin, secret: string): boolean {
  const expected = Buffer.from(signAlink(secret, login.signMethod, { ...login.params, deviceName: login.deviceName, productKey: login.productKey }), 'utf8');
  const given = Buffer.from(login.signature.toLowerCase(), 'utf8');
  return expected.length === given.length && timingSafeEqual(expected, given);
}
