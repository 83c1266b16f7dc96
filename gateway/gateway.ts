/**
 * The MQTT gateway: aedes with Anju's hooks. authenticate (canonical or ALink signature, throttled)
 * → authorize (each dialect owns its topics) → parse → dialect → validate → normalise → deduplicate
 * → journal, all in the hook that runs before PUBACK; presence; the device `errors` topic; hardening.
 * Storage and rules are the platform's, reached through a listener and the journal.
 */
import type { EventEmitter } from 'node:events';
import fs from 'node:fs';
import type { IncomingMessage } from 'node:http';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';
import { Aedes, type AedesOptions, type AuthenticateError, type Client, type PublishPacket, type Subscription } from 'aedes';
import { deviceTopic } from '../contract/index.ts';
import type { Clock } from '../platform/clock.ts';
import type { Logger } from '../platform/logger.ts';
import type { DeviceDirectory, DeviceInfo } from './device-info.ts';
import { guardListener, type GatewayListener, type RefusalReason } from './listener.ts';
import { dialect, DIALECTS, type Dialect } from './dialects/index.ts';
import { parseAlinkLogin } from './dialects/alink/signature.ts';
import { IngestProcessor } from './ingest/processor.ts';
import type { IngestJournal } from './journal/ingest-journal.ts';
import { ConnectionRateLimiter, DEFAULT_LIMITS, LoginThrottle, type GatewayLimits } from './limits.ts';
import { guardPacketSize } from './packet-size.ts';
import { PresenceTracker } from './presence.ts';
import { dialectSession, type Session } from './session.ts';

export type { CommandReply, GatewayListener, RefusalEvent, RefusalReason, RejectedMessage } from './listener.ts';

export interface GatewayOptions {
  host: string;
  port: number;
  tls?: { port: number; certPath: string; keyPath: string };
  directory: DeviceDirectory;
  listener: GatewayListener;
  journal: IngestJournal;
  clock: Clock;
  logger: Logger;
  limits?: Partial<GatewayLimits>;
  /**
   * Backpressure: while this says so (storage far behind the journal), QoS 1 acknowledgements wait, so
   * devices slow down instead of the journal growing without bound.
   */
  saturated?: () => boolean;
  /** Cluster mode: a message bus and session persistence shared with other gateway instances. */
  shared?: Pick<AedesOptions, 'mq' | 'persistence'> & { id?: string };
}

export interface Gateway {
  readonly broker: Aedes;
  readonly port: number;
  readonly tlsPort: number | undefined;
  readonly presence: PresenceTracker;
  readonly limits: GatewayLimits;
  /** Serves one MQTT-over-WebSocket connection (the HTTP server owns `/mqtt`). */
  handleStream(stream: Duplex, request: IncomingMessage): void;
  /** Sends a command the way the device's dialect expects; false when its dialect has no command channel. */
  sendCommand(device: DeviceInfo, command: { id: string; command: string; args: Record<string, unknown> }): Promise<boolean>;
  publishToDevice(deviceId: string, channel: 'commands' | 'errors', body: unknown): Promise<void>;
  /** Publishes from the platform (QoS 1), e.g. an emergency broadcast. */
  publish(topic: string, payload: Buffer): Promise<void>;
  close(): Promise<void>;
}

function authError(message: string, returnCode: 3 | 4 | 5): AuthenticateError {
  return Object.assign(new Error(message), { returnCode }) as AuthenticateError;
}

function remoteAddress(client: Client): string | undefined {
  const conn = client.conn as Partial<net.Socket>;
  return client.req?.socket?.remoteAddress ?? conn.remoteAddress ?? undefined;
}

function topicLevels(topic: string): number {
  let levels = 1;
  for (let i = 0; i < topic.length; i++) if (topic.charCodeAt(i) === 47) levels++;
  return levels;
}

/** Topics remembered per session; beyond this many, lookups are not cached. */
const OWNER_CACHE_TOPICS = 32;

/** The dialect that owns a publish topic for this session, if any (it depends on the session and topic alone). */
function owner(session: Session, topic: string): Dialect | undefined {
  const cached = session.owners?.get(topic);
  if (cached !== undefined || session.owners?.has(topic)) return cached;
  const found = DIALECTS.find((d) => d.owns(session.dialect, topic));
  session.owners ??= new Map();
  if (session.owners.size < OWNER_CACHE_TOPICS) session.owners.set(topic, found);
  return found;
}

async function listen(server: net.Server, port: number, host: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as net.AddressInfo).port;
}

export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  const { directory, clock, logger, journal } = options;
  const limits: GatewayLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const sessions = new WeakMap<Client, Session>();
  const rate = new ConnectionRateLimiter(clock, limits.connectBurst, limits.connectsPerSecond);
  const throttle = new LoginThrottle(clock, limits.loginFailures, limits.loginFailureWindowMs);

  const listener = guardListener(options.listener, logger);
  const refuse = (reason: RefusalReason, client: Client | undefined, deviceId: string | undefined, detail?: string) =>
    listener.refused({ reason, deviceId, address: client ? remoteAddress(client) : undefined, detail, at: clock.now() });

  let broker: Aedes;
  const publish = (packet: Omit<PublishPacket, 'cmd' | 'dup'>): Promise<void> =>
    new Promise((resolve, reject) => broker.publish({ cmd: 'publish', dup: false, ...packet }, (err) => (err ? reject(err) : resolve())));
  const publishQuietly = (topic: string, payload: Buffer, deviceId: string): void =>
    void publish({ topic, payload, qos: 0, retain: false }).catch((err) => logger.warn({ err, deviceId }, 'could not answer the device'));

  const publishStatus = (deviceId: string, online: boolean) =>
    publish({ topic: deviceTopic(deviceId, 'status'), payload: Buffer.from(online ? 'online' : 'offline'), qos: 1, retain: true }).catch((err) =>
      logger.warn({ err, deviceId }, 'could not publish device status'),
    );

  const processor = new IngestProcessor({ journal, listener, logger, clock, send: publishQuietly });
  /** While storage is saturated, every held acknowledgement waits on this one poll (not a timer per message). */
  let unsaturated: Promise<void> | undefined;
  const whenUnsaturated = (): Promise<void> =>
    (unsaturated ??= (async () => {
      do await new Promise((resolve) => setTimeout(resolve, 100));
      while (options.saturated?.());
      unsaturated = undefined;
    })());

  const presence = new PresenceTracker(clock, (deviceId, online, at) => {
    void publishStatus(deviceId, online);
    listener.presence(deviceId, online, at);
  });

  /** The status topic: `online`/`offline` only; anything else is answered and the true status restored. */
  const handleStatus = (session: Session, topic: string, payload: Buffer, receivedAt: number) => {
    const value = payload.toString('utf8');
    if (value === 'online' || value === 'offline') return;
    processor.reject(session, dialect('anju'), topic, payload, 'status', { code: 'invalid_status', details: { got: value.slice(0, 64) } }, receivedAt);
    setImmediate(() => void publishStatus(session.device.id, presence.isOnline(session.device.id)));
  };

  const authorizeTopic = (client: Client, session: Session | undefined, topic: string): string | undefined => {
    if (topic.length > limits.maxTopicLength) return 'topic_too_long';
    if (topic.startsWith('$')) return 'sys_topic';
    if (!session || !owner(session, topic)) return 'topic_not_allowed';
    void client;
    return undefined;
  };

  broker = await Aedes.createBroker({
    ...(options.shared ?? {}),
    // Client ids are free per the contract, so a long one must not be refused.
    maxClientsIdLength: 128,
    maxTopicLevels: limits.maxTopicLevels,
    drainTimeout: limits.drainTimeoutMs,
    authenticate(client, username, password, done) {
      if (broker.connectedClients >= limits.maxConnections) {
        refuse('connection_cap', client, username);
        return done(authError('the gateway is at its connection limit', 3), false);
      }
      const address = remoteAddress(client) ?? 'unknown';
      if (!rate.take(address)) {
        refuse('rate_limited', client, username);
        return done(authError('too many connections from this address', 3), false);
      }
      const secret = password?.toString('utf8');
      const alink = parseAlinkLogin(client.id, username, secret);
      const name = alink ? `${alink.productKey}/${alink.deviceName}` : username;
      if (!name || secret === undefined) {
        refuse('no_credentials', client, username);
        return done(authError('username and password are required', 4), false);
      }
      if (throttle.throttled(name)) {
        refuse('login_throttled', client, name);
        return done(authError('too many failed logins for this device; wait before trying again', 5), false);
      }
      (alink ? directory.authenticateAlink(alink) : directory.authenticate(name, secret)).then(
        (device) => {
          if (!device) {
            throttle.failed(name);
            refuse('bad_credentials', client, name);
            return done(authError('bad device id or secret', 4), false);
          }
          const session: Session = { device, address, dialect: dialectSession(device) };
          const will = (client as unknown as { _will?: { topic: string } | null })._will;
          if (will && authorizeTopic(client, session, will.topic)) {
            refuse('will_not_allowed', client, device.id, will.topic);
            return done(authError("a last will may only name the device's own topics", 5), false);
          }
          throttle.succeeded(name);
          sessions.set(client, session);
          done(null, true);
        },
        (err: unknown) => {
          logger.error({ err, deviceId: name }, 'device authentication failed');
          refuse('auth_unavailable', client, name);
          done(authError('authentication is unavailable', 3), false);
        },
      );
    },
    authorizePublish(client, packet, done) {
      const session = client ? sessions.get(client) : undefined;
      if (!client || !session) return done(new Error('not authenticated'));
      const topic = packet.topic;
      const refusal = authorizeTopic(client, session, topic);
      if (refusal) {
        refuse(refusal as RefusalReason, client, session.device.id, topic);
        // Under MQTT 3.1.1 a refused publish closes the connection; it is never delivered. [MQTT-3.3.5-2]
        return done(new Error(`publish to ${topic} not allowed`));
      }
      const receivedAt = clock.now();
      const payload = Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload);
      if (topic === (session.statusTopic ??= deviceTopic(session.device.id, 'status'))) {
        handleStatus(session, topic, payload, receivedAt);
        return done(null);
      }
      const committed = processor.process(session, owner(session, topic)!, topic, payload, receivedAt);
      // QoS 1 is acknowledged only once durable; QoS 0 has no acknowledgement to hold back.
      if (!committed || packet.qos === 0) return done(null);
      committed.then(
        () => (options.saturated?.() ? void whenUnsaturated().then(() => done(null)) : done(null)),
        (err: unknown) => done(err instanceof Error ? err : new Error(String(err))),
      );
    },
    authorizeSubscribe(client, sub: Subscription, done) {
      const session = sessions.get(client);
      const allowed = session !== undefined && sub.topic.length <= limits.maxTopicLength && DIALECTS.some((d) => d.canSubscribe(session.dialect, sub.topic));
      if (allowed) return done(null, sub);
      refuse('subscription_not_allowed', client, session?.device.id, sub.topic);
      done(null, null); // granted 0x80 [MQTT-3.9.3]
    },
    // Devices only ever receive what the platform sends them, never another client's publish.
    authorizeForward(_client, packet) {
      return (packet as { clientId?: string }).clientId ? null : packet;
    },
  });

  broker.on('client', (client) => {
    const session = sessions.get(client);
    if (session) presence.connected(session.device.id, client);
  });
  broker.on('clientDisconnect', (client) => {
    const session = sessions.get(client);
    if (session) presence.disconnected(session.device.id, client);
  });
  const cutOff = new WeakSet<Client>();
  broker.on('clientError', (client, err) => {
    // aedes fails every pending write of a slow client with this error: count the client once.
    if (err.message === 'drain timeout' && !cutOff.has(client)) {
      cutOff.add(client);
      refuse('slow_consumer', client, sessions.get(client)?.device.id);
    }
    logger.debug({ clientId: client.id, err: err.message }, 'mqtt client error');
  });
  broker.on('connectionError', (_client, err) => logger.debug({ err: err.message }, 'mqtt connection error'));
  (broker as EventEmitter).on('error', (err: Error) => logger.error({ err }, 'broker error'));

  const serve = (conn: Duplex, request?: IncomingMessage) => {
    const client = broker.handle(conn, request);
    guardPacketSize(client, limits.maxPacketBytes, (bytes) => refuse('packet_too_large', client, sessions.get(client)?.device.id, `${bytes} bytes`));
  };

  const servers: net.Server[] = [];
  const server = net.createServer((socket) => serve(socket));
  servers.push(server);
  const port = await listen(server, options.port, options.host);
  logger.info({ host: options.host, port }, 'MQTT gateway listening');
  let tlsPort: number | undefined;
  if (options.tls) {
    const secure = tls.createServer({ cert: fs.readFileSync(options.tls.certPath), key: fs.readFileSync(options.tls.keyPath) }, (socket) => serve(socket));
    servers.push(secure);
    tlsPort = await listen(secure, options.tls.port, options.host);
    logger.info({ host: options.host, port: tlsPort }, 'MQTT over TLS listening');
  }

  return {
    broker,
    port,
    tlsPort,
    presence,
    limits,
    handleStream: (stream, request) => serve(stream, request),
    async sendCommand(device, command) {
      const session = dialectSession(device);
      const message = dialect(device.dialect).command?.(session, command) ?? (device.dialect === 'thingsboard' ? dialect('anju').command!(session, command) : undefined);
      if (!message) return false;
      await publish({ topic: message.topic, payload: message.payload, qos: 1, retain: false });
      return true;
    },
    publishToDevice: (deviceId, channel, body) =>
      publish({ topic: deviceTopic(deviceId, channel), payload: Buffer.from(JSON.stringify(body)), qos: 1, retain: false }),
    publish: (topic, payload) => publish({ topic, payload, qos: 1, retain: false }),
    async close() {
      const closed = servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve())));
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      await Promise.all(closed);
      for (const deviceId of presence.flushAll()) listener.presence(deviceId, false, clock.now());
    },
  };
}
