/** The canonical Anju dialect (`anju/v1/devices/{id}/…`), the one every other dialect maps onto. */
import { broadcastTopic, deviceTopic, parseDeviceTopic, UPLINK_CHANNELS } from '../../contract/index.ts';
import type { Dialect, DialectRoute } from './types.ts';

const REPLY_STATUSES = new Set(['ok', 'error']);

export const anjuDialect: Dialect = {
  name: 'anju',
  owns(session, topic) {
    const parsed = parseDeviceTopic(topic);
    return parsed !== undefined && parsed.deviceId === session.deviceId && UPLINK_CHANNELS.has(parsed.channel);
  },
  route(session, topic, json): DialectRoute | undefined {
    const parsed = parseDeviceTopic(topic);
    if (!parsed || parsed.deviceId !== session.deviceId) return undefined;
    if (parsed.channel === 'telemetry' || parsed.channel === 'events') return { type: 'ingest', envelopes: [{ channel: parsed.channel, json }] };
    if (parsed.channel === 'replies') {
      const reply = json as { id?: unknown; status?: unknown; result?: unknown; message?: unknown } | null;
      if (typeof reply !== 'object' || reply === null || typeof reply.id !== 'string' || !REPLY_STATUSES.has(String(reply.status))) {
        return { type: 'invalid', rejection: { code: 'invalid_payload', details: [{ path: '(root)', message: 'a reply is {"id": string, "status": "ok"|"error", "result"?, "message"?}' }] } };
      }
      return { type: 'command_reply', commandId: reply.id, ok: reply.status === 'ok', result: reply.result, message: typeof reply.message === 'string' ? reply.message : undefined };
    }
    return undefined;
  },
  canSubscribe(session, topic) {
    if (session.kind === 'broadcast_speaker' && topic === broadcastTopic(session.communityId)) return true;
    const parsed = parseDeviceTopic(topic);
    return parsed !== undefined && parsed.deviceId === session.deviceId && (parsed.channel === 'commands' || parsed.channel === 'errors');
  },
  command(session, { id, command, args }) {
    return { topic: deviceTopic(session.deviceId, 'commands'), payload: Buffer.from(JSON.stringify({ id, command, args })) };
  },
  examples: [
    {
      name: 'telemetry passes through unchanged',
      session: { deviceId: 'gas-1', kind: 'gas_detector', communityId: 'c1', fieldMap: null },
      topic: 'anju/v1/devices/gas-1/telemetry',
      payload: '{"seq":1,"values":{"gas_lel":3.5}}',
      expect: [{ channel: 'telemetry', json: { seq: 1, values: { gas_lel: 3.5 } } }],
    },
    {
      name: 'a command reply',
      session: { deviceId: 'gas-1', kind: 'gas_detector', communityId: 'c1', fieldMap: null },
      topic: 'anju/v1/devices/gas-1/replies',
      payload: '{"id":"42","status":"ok","result":{"selfTest":"passed"}}',
      expect: { type: 'command_reply' },
    },
  ],
};
