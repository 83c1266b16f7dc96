import type { Bucket, DeviceEvent, TelemetryPoint } from '../../contract/index.ts';
import type { TimeRange } from './history.ts';
import type { TelemetrySink } from './sink.ts';

/**
 * A place telemetry is written to and read back from. Every backend (PostgreSQL embedded or external,
 * InfluxDB) passes the same contract suite (tests/helpers/telemetry-store-contract.ts).
 */
export interface TelemetryStore extends TelemetrySink {
  readings(deviceId: string, metric: string, range: TimeRange, bucket: Bucket | undefined, limit: number): Promise<TelemetryPoint[]>;
  events(deviceId: string, range: TimeRange, limit: number): Promise<DeviceEvent[]>;
}
