/**
 * One simulated device on real MQTT: authenticates with its id and secret, reports telemetry drawn
 * from its kind's normal ranges (a gentle random walk), and sends events on demand. Scenarios steer
 * it through `override` and `event`.
 */
import mqtt, { type MqttClient } from 'mqtt';
import { broadcastTopic, deviceKind, deviceTopic, type DeviceKindDefinition } from '../contract/index.ts';
import type { DeviceCredentials } from './credentials.ts';

export interface SimulatedDeviceOptions {
  mqttUrl: string;
  /** QoS for telemetry (events always use QoS 1). */
  qos?: 0 | 1;
  random?: () => number;
  onError?: (deviceId: string, payload: string) => void;
}

/** A lived-in home's door opens and closes every 5 to 30 minutes. */
const LIFE_SIGN_EVERY_MS: [number, number] = [5 * 60_000, 30 * 60_000];

export class SimulatedDevice {
  readonly kind: DeviceKindDefinition;
  private client: MqttClient | undefined;
  private seq = 0;
  private readonly values = new Map<string, number | boolean>();
  private readonly overrides = new Map<string, number | boolean>();
  private readonly random: () => number;
  /** Everyday signs of life of a home: a door contact now and then opens and closes, a water meter counts water used. */
  lifeSigns = true;
  private nextLifeSignAt: number | undefined;

  constructor(
    readonly credentials: DeviceCredentials,
    private readonly options: SimulatedDeviceOptions,
  ) {
    this.kind = deviceKind(credentials.kind);
    this.random = options.random ?? Math.random;
    for (const [field, metric] of Object.entries(this.kind.metrics)) {
      const [low, high] = metric.normal;
      this.values.set(field, metric.schema.safeParse(false).success ? false : field === 'battery' ? high - this.random() * (high - low) * 0.5 : low + this.random() * (high - low));
    }
  }

  get id(): string {
    return this.credentials.id;
  }

  async connect(): Promise<void> {
    const client = mqtt.connect(this.options.mqttUrl, {
      username: this.credentials.id,
      password: this.credentials.secret,
      clientId: `sim-${this.credentials.id}`,
      protocolVersion: 4,
      keepalive: 60,
      reconnectPeriod: 2000,
      connectTimeout: 10_000,
      will: { topic: deviceTopic(this.id, 'status'), payload: Buffer.from('offline'), qos: 1, retain: true },
    });
    this.client = client;
    const broadcasts = broadcastTopic(this.credentials.communityId);
    client.on('message', (topic, payload) => {
      if (topic.endsWith('/errors')) this.options.onError?.(this.id, payload.toString());
      // A speaker plays what the community's broadcast topic carries, and says so.
      else if (topic === broadcasts) {
        const { id } = JSON.parse(payload.toString()) as { id: string };
        void this.event('played', { broadcastId: id }).catch(() => undefined);
      }
    });
    await new Promise<void>((resolve, reject) => {
      client.once('connect', () => resolve());
      client.once('error', reject);
    });
    client.on('error', () => undefined);
    const topics = [deviceTopic(this.id, 'commands'), deviceTopic(this.id, 'errors')];
    if (this.kind.kind === 'broadcast_speaker') topics.push(broadcasts);
    await client.subscribeAsync(topics, { qos: 1 });
  }

  /** Holds a metric at a value (or the walk resumes when `value` is undefined). */
  override(field: string, value: number | boolean | undefined): void {
    if (value === undefined) this.overrides.delete(field);
    else this.overrides.set(field, value);
  }

  /** The next reading: each number takes a small step within its normal range; battery drains slowly. */
  nextValues(): Record<string, number | boolean> {
    const out: Record<string, number | boolean> = {};
    for (const [field, metric] of Object.entries(this.kind.metrics)) {
      const current = this.values.get(field)!;
      let next = current;
      if (typeof current === 'number') {
        const [low, high] = metric.normal;
        if (field === 'battery') next = Math.max(0, current - this.random() * 0.01);
        else {
          const step = (high - low) * 0.1 * (this.random() * 2 - 1);
          next = Math.min(high, Math.max(low, current + step));
        }
        if (metric.schema.safeParse(0.5).success === false) next = Math.round(next);
        this.values.set(field, next);
      }
      const value = this.overrides.get(field) ?? next;
      out[field] = typeof value === 'number' ? Math.round(value * 100) / 100 : value;
    }
    return out;
  }

  async report(values = this.nextValues()): Promise<void> {
    if (!this.lifeSigns && 'flow_l' in values) values = { ...values, flow_l: 0 };
    await this.publish('telemetry', { seq: ++this.seq, values }, this.options.qos ?? 1);
  }

  /** Between reports, a lived-in home shows itself: now and then a door opens and closes. */
  async liveALittle(now = Date.now()): Promise<void> {
    if (!this.lifeSigns || this.kind.kind !== 'door_contact') return;
    const [min, max] = LIFE_SIGN_EVERY_MS;
    if (this.nextLifeSignAt === undefined) this.nextLifeSignAt = now + min * this.random();
    if (now < this.nextLifeSignAt) return;
    this.nextLifeSignAt = now + min + (max - min) * this.random();
    await this.event('open');
    await this.event('close');
  }

  async event(name: string, data?: Record<string, unknown>): Promise<void> {
    await this.publish('events', { seq: ++this.seq, event: name, ...(data ? { data } : {}) }, 1);
  }

  private async publish(channel: 'telemetry' | 'events', body: unknown, qos: 0 | 1): Promise<void> {
    if (!this.client?.connected) return;
    await this.client.publishAsync(deviceTopic(this.id, channel), JSON.stringify(body), { qos });
  }

  async disconnect(): Promise<void> {
    await this.client?.endAsync();
  }
}
