/**
 * Where accepted telemetry and events are written. PostgreSQL is the store of record; further sinks
 * (InfluxDB) implement the same interface and receive the same batches.
 */
import type { NormalisedEvent, NormalisedTelemetry } from '../../gateway/ingest/message.ts';

export interface TelemetryBatch {
  readings: NormalisedTelemetry[];
  events: NormalisedEvent[];
}

export interface TelemetrySink {
  readonly name: string;
  write(batch: TelemetryBatch): Promise<void>;
  close(): Promise<void>;
}
