/**
 * The platform behind an external MQTT cluster (EMQX) instead of the embedded broker: devices connect
 * to the cluster, which authenticates and authorises them through Anju's HTTP hooks
 * (`/api/v1/mqtt/authenticate`, `/api/v1/mqtt/authorize`); every platform instance consumes device
 * publishes through a shared subscription (`$share/anju/…`), so each message reaches one instance.
 * A message is acknowledged to the cluster only once it is in the journal, so an instance that dies
 * leaves its unacknowledged messages to the cluster to redeliver. (ThingsBoard-style `v1/devices/me/…`
 * topics carry no device identity, so such devices need the embedded broker.)
 */
import os from 'node:os';
import { randomBytes } from 'node:crypto';
import mqtt, { type MqttClient } from 'mqtt';
import { parseDeviceTopic } from '../contract/index.ts';
import type { Clock } from '../platform/clock.ts';
import type { Logger } from '../platform/logger.ts';
import type { DeviceDirectory, DeviceInfo } from './device-info.ts';
import { dialect, DIALECTS } from './dialects/index.ts';
import { IngestProcessor } from './ingest/processor.ts';
import type { IngestJournal } from './journal/ingest-journal.ts';
import { guardListener, type GatewayListener } from './listener.ts';
import { dialectSession, type Session } from './session.ts';

export interface UpstreamOptions {
  url: string;
  /** The shared-subscription group all platform instances join. */
  group?: string;
  directory: DeviceDirectory;
  listener: GatewayListener;
  journal: IngestJournal;
  clock: Clock;
  logger: Logger;
}

export interface Upstream {
  readonly connected: boolean;
  sendCommand(device: DeviceInfo, command: { id: string; command: string; args: Record<string, unknown> }): Promise<boolean>;
  publish(topic: string, payload: Buffer): Promise<void>;
  close(): Promise<void>;
}

const ALINK_UPLINK = /^\/sys\/([^/]+)\/([^/]+)\/thing\/(event\/.+\/post|service\/[^/]+_reply)$/;

export function startUpstream(options: UpstreamOptions): Upstream {
  const { directory, clock, logger, journal } = options;
  const group = options.group ?? 'anju';
  const listener = guardListener(options.listener, logger);
  let client: MqttClient;
  const send = (topic: string, payload: Buffer) => {
    client.publish(topic, payload, { qos: 0 }, (err) => err && logger.warn({ err: err.message, topic }, 'could not answer a device upstream'));
  };
  const processor = new IngestProcessor({ journal, listener, logger, clock, send });

  /** Which device a publish belongs to: the topic names it (the cluster's ACL made sure it may). */
  const identify = async (topic: string): Promise<DeviceInfo | undefined> => {
    const canonical = parseDeviceTopic(topic);
    if (canonical) return canonical.channel === 'commands' || canonical.channel === 'errors' ? undefined : directory.find(canonical.deviceId);
    const alink = ALINK_UPLINK.exec(topic);
    return alink ? directory.findAlink(alink[1]!, alink[2]!) : undefined;
  };

  const handle = async (topic: string, payload: Buffer): Promise<void> => {
    const device = await identify(topic);
    if (!device) return; // our own commands and errors echo back through the subscription, and unknown devices
    const session: Session = { device, address: undefined, dialect: dialectSession(device) };
    const owner = DIALECTS.find((d) => d.owns(session.dialect, topic));
    if (!owner || topic.endsWith('/status')) return;
    await processor.process(session, owner, topic, payload, clock.now());
  };

  client = mqtt.connect(options.url, {
    clientId: `anju-${os.hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`,
    protocolVersion: 5,
    clean: true,
    reconnectPeriod: 1000,
    // PUBACK to the cluster only after the journal holds the message.
    customHandleAcks: (topic, message, _packet, done) => {
      handle(topic, message).then(
        () => done(0),
        (err: unknown) => {
          logger.error({ err, topic }, 'upstream message failed; the cluster will redeliver it');
          done(err instanceof Error ? err : new Error(String(err)));
        },
      );
    },
  });
  client.on('error', (err) => logger.warn({ err: err.message }, 'upstream MQTT error'));
  client.on('message', () => undefined);
  // Start even while the cluster is unreachable (/readyz says so); mqtt.js reconnects and resubscribes.
  client.once('connect', () => {
    client
      .subscribeAsync([`$share/${group}/anju/v1/devices/+/+`, `$share/${group}//sys/+/+/thing/event/#`, `$share/${group}//sys/+/+/thing/service/+`], { qos: 1 })
      .then(
        () => logger.info({ url: options.url.replace(/\/\/[^@]*@/, '//***@'), group }, 'consuming device messages from the upstream MQTT cluster'),
        (err: unknown) => logger.error({ err }, 'could not subscribe to the upstream MQTT cluster'),
      );
  });

  return {
    get connected() {
      return client.connected;
    },
    async sendCommand(device, command) {
      const message = (dialect(device.dialect).command?.(dialectSession(device), command) ?? dialect('anju').command!(dialectSession(device), command))!;
      await client.publishAsync(message.topic, message.payload, { qos: 1 });
      return true;
    },
    async publish(topic, payload) {
      await client.publishAsync(topic, payload, { qos: 1 });
    },
    async close() {
      await client.endAsync(true);
    },
  };
}
