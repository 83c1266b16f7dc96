/**
 * ALink (Aliyun IoT's thing model), so that devices built for it connect unchanged:
 * `/sys/{pk}/{dn}/thing/event/property/post` → telemetry (and events for mapped states),
 * `/sys/{pk}/{dn}/thing/event/{id}/post` → event `{id}`, each answered on `…_reply` with the request id
 * and code 200 or an error; commands go down as service calls `/sys/{pk}/{dn}/thing/service/{name}`.
 */
import type { CanonicalEnvelope, Dialect, DialectRoute, DialectSession } from '../types.ts';
import { findFieldMap, type FieldMap } from './field-maps/index.ts';

/** ALink's code for a request whose parameters are wrong. */
export const ALINK_PARAMETER_ERROR = 460;
/** At most this many canonical messages come from one ALink request (they share its id in `seq`). */
const MAX_ENVELOPES = 16;

const prefix = (s: DialectSession) => (s.alink ? `/sys/${s.alink.productKey}/${s.alink.deviceName}/` : undefined);

interface AlinkRequest {
  id?: unknown;
  params?: unknown;
}

function requestId(request: AlinkRequest): string | undefined {
  return typeof request.id === 'string' || typeof request.id === 'number' ? String(request.id) : undefined;
}

/** ALink ids are unique per device and day: a numeric id becomes the canonical `seq` (×16 + index). */
function seqOf(id: string, index: number): number | undefined {
  return /^\d{1,10}$/.test(id) ? Number(id) * MAX_ENVELOPES + index : undefined;
}

function propertyEnvelopes(params: Record<string, unknown>, map: FieldMap | undefined, id: string): CanonicalEnvelope[] | string {
  const byTime = new Map<number | undefined, Record<string, unknown>>();
  const events: { event: string; ts: number | undefined }[] = [];
  for (const [name, raw] of Object.entries(params)) {
    const wrapped = typeof raw === 'object' && raw !== null && 'value' in raw;
    const value = wrapped ? (raw as { value: unknown }).value : raw;
    const time = wrapped && typeof (raw as { time?: unknown }).time === 'number' ? (raw as unknown as { time: number }).time : undefined;
    const mapping = map?.properties[name];
    if (mapping?.events) {
      const event = mapping.events[String(value)];
      if (event) events.push({ event, ts: time });
      continue;
    }
    const field = mapping?.field ?? name;
    const scaled = mapping?.scale !== undefined && typeof value === 'number' ? value * mapping.scale : value;
    const values = byTime.get(time) ?? {};
    values[field] = scaled;
    byTime.set(time, values);
  }
  const envelopes: CanonicalEnvelope[] = [];
  for (const [ts, values] of byTime) envelopes.push({ channel: 'telemetry', json: { ...(ts === undefined ? {} : { ts }), values } });
  for (const { event, ts } of events) envelopes.push({ channel: 'events', json: { ...(ts === undefined ? {} : { ts }), event } });
  if (envelopes.length > MAX_ENVELOPES) return `one request may carry at most ${MAX_ENVELOPES} distinct times and state events`;
  return envelopes.map((e, i) => {
    const seq = seqOf(id, i);
    return seq === undefined ? e : { ...e, json: { ...(e.json as object), seq } };
  });
}

const invalid = (message: string, reply?: { topic: string; requestId: string }): DialectRoute => ({
  type: 'invalid',
  rejection: { code: 'invalid_payload', details: [{ path: '(root)', message }] },
  ...(reply ? { reply } : {}),
});

export const alinkDialect: Dialect = {
  name: 'alink',
  owns(session, topic) {
    const own = prefix(session);
    return own !== undefined && topic.startsWith(own) && topic.length > own.length;
  },
  route(session, topic, json) {
    const own = prefix(session);
    if (!own || !topic.startsWith(own)) return undefined;
    const path = topic.slice(own.length);
    const request = (typeof json === 'object' && json !== null ? json : {}) as AlinkRequest;
    const id = requestId(request);
    const serviceReply = /^thing\/service\/([A-Za-z0-9_]+)_reply$/.exec(path);
    if (serviceReply) {
      const answer = request as { id?: unknown; code?: unknown; data?: unknown; message?: unknown };
      if (!id) return invalid('a service reply needs its request id');
      return { type: 'command_reply', commandId: id, ok: answer.code === 200, result: answer.data, message: typeof answer.message === 'string' ? answer.message : undefined };
    }
    const property = path === 'thing/event/property/post';
    const event = /^thing\/event\/([A-Za-z0-9_]+)\/post$/.exec(path);
    if (!property && !event) return { type: 'invalid', rejection: { code: 'unsupported_topic', details: { topic, supported: ['thing/event/property/post', 'thing/event/{identifier}/post', 'thing/service/{identifier}_reply'] } } };
    if (!id) return invalid('an ALink request needs an "id"');
    const reply = { topic: `${topic}_reply`, requestId: id };
    if (typeof request.params !== 'object' || request.params === null || Array.isArray(request.params)) return invalid('"params" must be an object', reply);
    const map = findFieldMap(session.fieldMap);
    if (property) {
      const envelopes = propertyEnvelopes(request.params as Record<string, unknown>, map, id);
      return typeof envelopes === 'string' ? invalid(envelopes, reply) : { type: 'ingest', envelopes, reply };
    }
    const identifier = event![1]!;
    const params = request.params as { value?: unknown; time?: unknown };
    const data = typeof params.value === 'object' && params.value !== null && !Array.isArray(params.value) ? params.value : undefined;
    const seq = seqOf(id, 0);
    const json2 = {
      event: map?.events[identifier] ?? identifier,
      ...(typeof params.time === 'number' ? { ts: params.time } : {}),
      ...(seq === undefined ? {} : { seq }),
      ...(data && Object.keys(data).length ? { data } : {}),
    };
    return { type: 'ingest', envelopes: [{ channel: 'events', json: json2 }], reply };
  },
  canSubscribe(session, topic) {
    const own = prefix(session);
    return own !== undefined && topic.startsWith(own) && topic.length > own.length;
  },
  reply(requestIdValue, outcome) {
    const body = outcome.ok
      ? { id: requestIdValue, code: 200, data: {} }
      : { id: requestIdValue, code: ALINK_PARAMETER_ERROR, data: {}, message: `${outcome.code}: ${outcome.message}` };
    return Buffer.from(JSON.stringify(body));
  },
  command(session, { id, command, args }) {
    const own = prefix(session);
    if (!own) return undefined;
    return {
      topic: `${own}thing/service/${command}`,
      payload: Buffer.from(JSON.stringify({ id, version: '1.0', params: args, method: `thing.service.${command}` })),
    };
  },
  examples: [
    {
      name: 'property post with canonical names',
      session: { deviceId: 'dev-1', kind: 'gas_detector', communityId: 'c1', fieldMap: null, alink: { productKey: 'a1GasPk', deviceName: 'gas-01' } },
      topic: '/sys/a1GasPk/gas-01/thing/event/property/post',
      payload: '{"id":"7","version":"1.0","params":{"gas_lel":12.5,"battery":88},"method":"thing.event.property.post"}',
      expect: [{ channel: 'telemetry', json: { values: { gas_lel: 12.5, battery: 88 }, seq: 112 } }],
    },
    {
      name: "Aliyun's standard smoke detector properties through its field map",
      session: { deviceId: 'dev-2', kind: 'smoke_detector', communityId: 'c1', fieldMap: 'aliyun-smoke-detector', alink: { productKey: 'a1SmokePk', deviceName: 'smoke-01' } },
      topic: '/sys/a1SmokePk/smoke-01/thing/event/property/post',
      payload: '{"id":"9","version":"1.0","params":{"SmokeSensorState":{"value":1,"time":1764403200000},"BatteryPercentage":{"value":76,"time":1764403200000}},"method":"thing.event.property.post"}',
      expect: [
        { channel: 'telemetry', json: { ts: 1764403200000, values: { battery: 76 }, seq: 144 } },
        { channel: 'events', json: { ts: 1764403200000, event: 'alarm', seq: 145 } },
      ],
    },
    {
      name: 'event post',
      session: { deviceId: 'dev-3', kind: 'emergency_button', communityId: 'c1', fieldMap: null, alink: { productKey: 'a1BtnPk', deviceName: 'btn-01' } },
      topic: '/sys/a1BtnPk/btn-01/thing/event/sos/post',
      payload: '{"id":"11","version":"1.0","params":{"value":{},"time":1764403200000},"method":"thing.event.sos.post"}',
      expect: [{ channel: 'events', json: { event: 'sos', ts: 1764403200000, seq: 176 } }],
    },
    {
      name: 'a service reply answers a command',
      session: { deviceId: 'dev-1', kind: 'gas_detector', communityId: 'c1', fieldMap: null, alink: { productKey: 'a1GasPk', deviceName: 'gas-01' } },
      topic: '/sys/a1GasPk/gas-01/thing/service/self_test_reply',
      payload: '{"id":"31","code":200,"data":{}}',
      expect: { type: 'command_reply' },
    },
    {
      name: 'a request without params is refused with a reply',
      session: { deviceId: 'dev-1', kind: 'gas_detector', communityId: 'c1', fieldMap: null, alink: { productKey: 'a1GasPk', deviceName: 'gas-01' } },
      topic: '/sys/a1GasPk/gas-01/thing/event/property/post',
      payload: '{"id":"8","version":"1.0","method":"thing.event.property.post"}',
      expect: { type: 'invalid', code: 'invalid_payload' },
    },
  ],
};
