/**
 * The MQTT gateway: aedes with Anju's hooks. authenticate → authorize → ingest steps, presence and the
 * device `errors` topic live here; storage and rules are the platform's, reached through a listener.
 */
import type { EventEmitter } from 'node:events';
import net from 'node:net';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { Aedes, type Client, type AuthenticateError, type PublishPacket, type Subscription } from 'aedes';
import { deviceTopic, ERROR_CATALOGUE, type DeviceErrorPayload } from '../contract/index.ts';
import type { Clock } from '../platform/clock.ts';
import type { Logger } from '../platform/logger.ts';
import { authorizeDevicePublish, authorizeDeviceSubscribe } from './acl.ts';
import type { DeviceDirectory, DeviceInfo } from './device-info.ts';
import { SeqDeduplicator } from './ingest/dedupe.ts';
import type { NormalisedMessage, Rejection } from './ingest/message.ts';
import { runIngestSteps, type IngestStep } from './ingest/pipeline.ts';
import { PresenceTracker } from './presence.ts';

export type RefusalReason = 'bad_credentials' | 'no_credentials' | 'auth_unavailable' | 'topic_not_allowed' | 'sys_topic' | 'subscription_not_allowed';

export interface RejectedMessage {
  device: DeviceInfo;
  topic: string;
  payload: Buffer;
  step: IngestStep | 'status';
  rejection: Rejection;
  receivedAt: number;
}

/** What the gateway tells the platform. Every call is guarded: a throwing listener is logged, never fatal. */
export interface GatewayListener {
  accepted(message: NormalisedMessage, device: DeviceInfo): void;
  rejected(rejected: RejectedMessage): void;
  duplicate(message: NormalisedMessage, device: DeviceInfo): void;
  presence(deviceId: string, online: boolean, at: number): void;
  refused(refusal: { reason: RefusalReason; deviceId: string | undefined; address: string | undefined; topic?: string }): void;
}

export interface GatewayOptions {
  host: string;
  port: number;
  directory: DeviceDirectory;
  listener: GatewayListener;
  clock: Clock;
  logger: Logger;
}

export interface Gateway {
  readonly broker: Aedes;
  readonly port: number;
  readonly presence: PresenceTracker;
  /** Serves one MQTT-over-WebSocket connection (the HTTP server owns `/mqtt`). */
  handleStream(stream: Duplex, request: IncomingMessage): void;
  publishToDevice(deviceId: string, channel: 'commands' | 'errors', body: unknown): Promise<void>;
  close(): Promise<void>;
}

function authError(message: string, returnCode: 4 | 5 | 3): AuthenticateError {
  return Object.assign(new Error(message), { returnCode }) as AuthenticateError;
}

function remoteAddress(client: Client): string | undefined {
  const conn = client.conn as Partial<net.Socket> & { socket?: net.Socket };
  return client.req?.socket?.remoteAddress ?? conn.remoteAddress ?? undefined;
}

export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  const { directory, clock, logger } = options;
  const sessions = new WeakMap<Client, DeviceInfo>();
  const dedupe = new SeqDeduplicator();

  const guard = <A extends unknown[]>(name: string, fn: (...args: A) => void) => (...args: A) => {
    try {
      fn(...args);
    } catch (error) {
      logger.error({ err: error, listener: name }, 'gateway listener failed');
    }
  };
  const listener: GatewayListener = {
    accepted: guard('accepted', options.listener.accepted.bind(options.listener)),
    rejected: guard('rejected', options.listener.rejected.bind(options.listener)),
    duplicate: guard('duplicate', options.listener.duplicate.bind(options.listener)),
    presence: guard('presence', options.listener.presence.bind(options.listener)),
    refused: guard('refused', options.listener.refused.bind(options.listener)),
  };

  let broker: Aedes;
  const publish = (packet: Omit<PublishPacket, 'cmd' | 'dup'>): Promise<void> =>
    new Promise((resolve, reject) => broker.publish({ cmd: 'publish', dup: false, ...packet }, (err) => (err ? reject(err) : resolve())));

  const publishStatus = (deviceId: string, online: boolean) =>
    publish({ topic: deviceTopic(deviceId, 'status'), payload: Buffer.from(online ? 'online' : 'offline'), qos: 1, retain: true }).catch((err) =>
      logger.warn({ err, deviceId }, 'could not publish device status'),
    );

  const presence = new PresenceTracker(clock, (deviceId, online, at) => {
    void publishStatus(deviceId, online);
    listener.presence(deviceId, online, at);
  });

  const sendError = (device: DeviceInfo, topic: string, rejection: Rejection) => {
    const body: DeviceErrorPayload = { topic, error: rejection.code, message: ERROR_CATALOGUE[rejection.code].message, details: rejection.details };
    void publish({ topic: deviceTopic(device.id, 'errors'), payload: Buffer.from(JSON.stringify(body)), qos: 0, retain: false }).catch((err) =>
      logger.warn({ err, deviceId: device.id }, 'could not send an error to the device'),
    );
  };

  const reject = (device: DeviceInfo, topic: string, payload: Buffer, step: RejectedMessage['step'], rejection: Rejection, receivedAt: number) => {
    sendError(device, topic, rejection);
    listener.rejected({ device, topic, payload, step, rejection, receivedAt });
  };

  broker = await Aedes.createBroker({
    // Client ids are free per the contract, so a long one must not be refused.
    maxClientsIdLength: 128,
    authenticate(client, username, password, done) {
      const address = remoteAddress(client);
      if (!username || !password) {
        listener.refused({ reason: 'no_credentials', deviceId: username, address });
        return done(authError('username and password are required', 4), false);
      }
      directory.authenticate(username, password.toString('utf8')).then(
        (device) => {
          if (!device) {
            listener.refused({ reason: 'bad_credentials', deviceId: username, address });
            return done(authError('bad device id or secret', 4), false);
          }
          sessions.set(client, device);
          done(null, true);
        },
        (err: unknown) => {
          logger.error({ err, deviceId: username }, 'device authentication failed');
          listener.refused({ reason: 'auth_unavailable', deviceId: username, address });
          done(authError('authentication is unavailable', 3), false);
        },
      );
    },
    authorizePublish(client, packet, done) {
      const device = client ? sessions.get(client) : undefined;
      if (!client || !device) return done(new Error('not authenticated'));
      const decision = authorizeDevicePublish(device.id, packet.topic);
      if (!decision.allowed) {
        listener.refused({ reason: decision.reason, deviceId: device.id, address: remoteAddress(client), topic: packet.topic });
        // Under MQTT 3.1.1 a refused publish closes the connection; it is never delivered. [MQTT-3.3.5-2]
        return done(new Error(`publish to ${packet.topic} not allowed`));
      }
      const receivedAt = clock.now();
      const payload = Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload);
      if (decision.channel === 'status') {
        const value = payload.toString('utf8');
        if (value !== 'online' && value !== 'offline') {
          reject(device, packet.topic, payload, 'status', { code: 'invalid_status', details: { got: value.slice(0, 64) } }, receivedAt);
          // Accept, then restore the true retained status, so the device keeps its connection.
          setImmediate(() => void publishStatus(device.id, presence.isOnline(device.id)));
        }
        return done(null);
      }
      const outcome = runIngestSteps({ device, channel: decision.channel as 'telemetry' | 'events', topic: packet.topic, payload, receivedAt }, dedupe);
      if (outcome.status === 'accepted') listener.accepted(outcome.message, device);
      else if (outcome.status === 'duplicate') listener.duplicate(outcome.message, device);
      else reject(device, packet.topic, payload, outcome.step, outcome.rejection, receivedAt);
      done(null);
    },
    authorizeSubscribe(client, sub: Subscription, done) {
      const device = sessions.get(client);
      if (device && authorizeDeviceSubscribe(device.id, sub.topic)) return done(null, sub);
      listener.refused({ reason: 'subscription_not_allowed', deviceId: device?.id, address: remoteAddress(client), topic: sub.topic });
      done(null, null); // granted 0x80 [MQTT-3.9.3]
    },
  });

  broker.on('client', (client) => {
    const device = sessions.get(client);
    if (device) presence.connected(device.id, client);
  });
  broker.on('clientDisconnect', (client) => {
    const device = sessions.get(client);
    if (device) presence.disconnected(device.id, client);
  });
  broker.on('clientError', (client, err) => logger.debug({ clientId: client.id, err: err.message }, 'mqtt client error'));
  broker.on('connectionError', (client, err) => logger.debug({ err: err.message }, 'mqtt connection error'));
  (broker as EventEmitter).on('error', (err: Error) => logger.error({ err }, 'broker error'));

  const server = net.createServer((socket) => broker.handle(socket));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as net.AddressInfo).port;
  logger.info({ host: options.host, port }, 'MQTT gateway listening');

  return {
    broker,
    port,
    presence,
    handleStream: (stream, request) => void broker.handle(stream, request),
    publishToDevice: (deviceId, channel, body) =>
      publish({ topic: deviceTopic(deviceId, channel), payload: Buffer.from(JSON.stringify(body)), qos: 1, retain: false }),
    async close() {
      const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      await serverClosed;
      for (const deviceId of presence.flushAll()) listener.presence(deviceId, false, clock.now());
    },
  };
}
