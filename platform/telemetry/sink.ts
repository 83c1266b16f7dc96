/**
 * Where accepted telemetry and events are written. PostgreSQL is the store of record; further sinks
 * (InfluxDB) implement the same interface and receive the same batches.
 */
import type { NormalisedEvent, NormalisedTelemetry } from '../../gateway/ingest/message.ts';

export interface TelemetryBatch {
  readings: NormalisedTelemetry[];
  events: NormalisedEvent[];
  /** The journal position this batch ends at; the store of record records it with the rows, atomically. */
  checkpoint?: { journalId: string; seq: number };
}

export interface TelemetrySink {
  readonly name: string;
  write(batch: TelemetryBatch): Promise<void>;
  close(): Promise<void>;
}
