/**
 * InfluxDB 1.x (`ANJU_INFLUX_URL`, e.g. http://influx:8086/anju), written in addition to PostgreSQL:
 * measurement `readings` (tags device_id, metric; field value) and `events` (tags device_id, event;
 * fields data as JSON, seq). The same series and time written twice is one point, so a replay after a
 * crash does not count twice.
 */
import { InfluxDB, type IPoint } from 'influx';
import type { Bucket, DeviceEvent, TelemetryPoint } from '../../contract/index.ts';
import type { TimeRange } from './history.ts';
import type { TelemetryBatch } from './sink.ts';
import type { TelemetryStore } from './store.ts';

const GROUP: Record<Bucket, string> = { '1m': '1m', '1h': '1h', '1d': '1d' };

export class InfluxTelemetryStore implements TelemetryStore {
  readonly name = 'influx';
  private readonly influx: InfluxDB;
  private readonly database: string;
  private ready: Promise<void> | undefined;

  constructor(url: string) {
    const parsed = new URL(url);
    this.database = decodeURIComponent(parsed.pathname.replace(/^\//, '')) || 'anju';
    this.influx = new InfluxDB({
      host: parsed.hostname,
      port: Number(parsed.port || (parsed.protocol === 'https:' ? 443 : 8086)),
      protocol: parsed.protocol === 'https:' ? 'https' : 'http',
      username: decodeURIComponent(parsed.username) || undefined,
      password: decodeURIComponent(parsed.password) || undefined,
      database: this.database,
    });
  }

  /** Creates the database on first use (idempotent in InfluxDB 1.x). */
  private ensure(): Promise<void> {
    this.ready ??= this.influx.createDatabase(this.database).catch((error: unknown) => {
      this.ready = undefined;
      throw error;
    });
    return this.ready;
  }

  async write(batch: TelemetryBatch): Promise<void> {
    await this.ensure();
    const points: IPoint[] = [];
    for (const r of batch.readings) {
      for (const metric in r.values) points.push({ measurement: 'readings', tags: { device_id: r.deviceId, metric }, fields: { value: r.values[metric]! }, timestamp: new Date(r.ts) });
    }
    for (const e of batch.events) {
      points.push({
        measurement: 'events',
        tags: { device_id: e.deviceId, event: e.event },
        fields: { data: e.data === undefined ? '' : JSON.stringify(e.data), ...(e.seq === undefined ? {} : { seq: e.seq }) },
        timestamp: new Date(e.ts),
      });
    }
    if (points.length) await this.influx.writePoints(points, { precision: 'ms' });
  }

  async readings(deviceId: string, metric: string, range: TimeRange, bucket: Bucket | undefined, limit: number): Promise<TelemetryPoint[]> {
    await this.ensure();
    const where = `"device_id" = $device AND "metric" = $metric AND time >= $from AND time <= $to`;
    const placeholders = { device: deviceId, metric, from: new Date(range.from).toISOString(), to: new Date(range.to).toISOString(), limit };
    if (!bucket) {
      const rows = await this.influx.query<{ time: Date; value: number }>(`SELECT "value" FROM "readings" WHERE ${where} ORDER BY time DESC LIMIT $limit`, { placeholders, precision: 'ms' });
      return rows.map((r) => ({ ts: new Date(r.time.getTime()).toISOString(), value: r.value })).reverse();
    }
    const rows = await this.influx.query<{ time: Date; min: number; max: number; mean: number; last: number; count: number }>(
      `SELECT min("value") AS "min", max("value") AS "max", mean("value") AS "mean", last("value") AS "last", count("value") AS "count"
         FROM "readings" WHERE ${where} GROUP BY time(${GROUP[bucket]}) fill(none) ORDER BY time DESC LIMIT $limit`,
      { placeholders, precision: 'ms' },
    );
    return rows
      .map((r) => ({ ts: new Date(r.time.getTime()).toISOString(), value: r.mean, min: r.min, max: r.max, avg: r.mean, last: r.last, count: r.count }))
      .reverse();
  }

  async events(deviceId: string, range: TimeRange, limit: number): Promise<DeviceEvent[]> {
    await this.ensure();
    const rows = await this.influx.query<{ time: Date; event: string; data: string; seq: number | null }>(
      `SELECT "event", "data", "seq" FROM "events" WHERE "device_id" = $device AND time >= $from AND time <= $to ORDER BY time DESC LIMIT $limit`,
      { placeholders: { device: deviceId, from: new Date(range.from).toISOString(), to: new Date(range.to).toISOString(), limit }, precision: 'ms' },
    );
    return rows.map((r) => ({ ts: new Date(r.time.getTime()).toISOString(), event: r.event, data: r.data ? (JSON.parse(r.data) as Record<string, unknown>) : null, seq: r.seq ?? null }));
  }

  async ping(): Promise<boolean> {
    const hosts = await this.influx.ping(2000);
    return hosts.some((h) => h.online);
  }

  async close(): Promise<void> {}
}
