/**
 * ThingsBoard's device API, for firmware written against it: `v1/devices/me/telemetry` with
 * `{"key": value}`, `{"ts": ms, "values": {…}}` or an array of either. The device is whoever the MQTT
 * credentials say it is (ThingsBoard's "MQTT Basic" credentials: username = device id, password = secret).
 * Keys use the kind's canonical field names.
 */
import type { CanonicalEnvelope, Dialect, DialectRoute } from './types.ts';

const TELEMETRY = 'v1/devices/me/telemetry';
const ATTRIBUTES = 'v1/devices/me/attributes';

function toEnvelope(item: unknown): CanonicalEnvelope | undefined {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return undefined;
  const record = item as Record<string, unknown>;
  if ('values' in record && typeof record.values === 'object') {
    return { channel: 'telemetry', json: { ...(record.ts === undefined ? {} : { ts: record.ts }), values: record.values } };
  }
  return { channel: 'telemetry', json: { values: record } };
}

export const thingsboardDialect: Dialect = {
  name: 'thingsboard',
  owns: (_session, topic) => topic.startsWith('v1/devices/me/'),
  route(_session, topic, json): DialectRoute | undefined {
    if (topic === ATTRIBUTES) return { type: 'ignored', reason: 'ThingsBoard client attributes are not stored by Anju; send measurements as telemetry' };
    if (topic !== TELEMETRY) return topic.startsWith('v1/devices/me/') ? { type: 'invalid', rejection: { code: 'unsupported_topic', details: { topic, supported: [TELEMETRY] } } } : undefined;
    const items = Array.isArray(json) ? json : [json];
    if (!items.length || items.length > 100) return { type: 'invalid', rejection: { code: 'invalid_payload', details: [{ path: '(root)', message: 'send 1 to 100 telemetry records' }] } };
    const envelopes: CanonicalEnvelope[] = [];
    for (const [i, item] of items.entries()) {
      const envelope = toEnvelope(item);
      if (!envelope) return { type: 'invalid', rejection: { code: 'invalid_payload', details: [{ path: Array.isArray(json) ? String(i) : '(root)', message: 'a telemetry record is an object' }] } };
      envelopes.push(envelope);
    }
    return { type: 'ingest', envelopes };
  },
  // "me" topics are the same for every ThingsBoard device: no subscription could stay private.
  canSubscribe: () => false,
  examples: [
    {
      name: 'flat key-value telemetry',
      session: { deviceId: 'flood-7', kind: 'flood_sensor', communityId: 'c1', fieldMap: null },
      topic: TELEMETRY,
      payload: '{"water_level_cm":12.5,"leak":true}',
      expect: [{ channel: 'telemetry', json: { values: { water_level_cm: 12.5, leak: true } } }],
    },
    {
      name: 'timestamped telemetry, two records',
      session: { deviceId: 'flood-7', kind: 'flood_sensor', communityId: 'c1', fieldMap: null },
      topic: TELEMETRY,
      payload: '[{"ts":1764403200000,"values":{"water_level_cm":3}},{"ts":1764403260000,"values":{"water_level_cm":4}}]',
      expect: [
        { channel: 'telemetry', json: { ts: 1764403200000, values: { water_level_cm: 3 } } },
        { channel: 'telemetry', json: { ts: 1764403260000, values: { water_level_cm: 4 } } },
      ],
    },
    {
      name: 'client attributes are acknowledged but not stored',
      session: { deviceId: 'flood-7', kind: 'flood_sensor', communityId: 'c1', fieldMap: null },
      topic: ATTRIBUTES,
      payload: '{"firmware":"1.2.0"}',
      expect: { type: 'ignored' },
    },
  ],
};
