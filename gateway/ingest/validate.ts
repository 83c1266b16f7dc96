import { EventPayload, fieldIssues, TelemetryPayload, type DeviceKindDefinition } from '../../contract/index.ts';
import type { IngestChannel, Rejection } from './message.ts';

export type ValidPayload = { channel: 'telemetry'; payload: TelemetryPayload } | { channel: 'events'; payload: EventPayload };

/** Checks the envelope against the contract, then each field and event against the device's kind. */
export function validate(json: unknown, channel: IngestChannel, kind: DeviceKindDefinition): { valid: ValidPayload } | { rejection: Rejection } {
  if (channel === 'telemetry') {
    const envelope = TelemetryPayload.safeParse(json);
    if (!envelope.success) return { rejection: { code: 'invalid_payload', details: fieldIssues(envelope.error) } };
    const unknown = Object.keys(envelope.data.values).filter((field) => !Object.hasOwn(kind.metrics, field));
    if (unknown.length) {
      return { rejection: { code: 'unknown_metric', details: { fields: unknown, known: Object.keys(kind.metrics) } } };
    }
    const issues = [];
    for (const [field, value] of Object.entries(envelope.data.values)) {
      const checked = kind.metrics[field]!.schema.safeParse(value);
      if (!checked.success) issues.push(...fieldIssues(checked.error).map((i) => ({ path: `values.${field}`, message: i.message })));
    }
    if (issues.length) return { rejection: { code: 'invalid_payload', details: issues } };
    return { valid: { channel, payload: envelope.data } };
  }
  const envelope = EventPayload.safeParse(json);
  if (!envelope.success) return { rejection: { code: 'invalid_payload', details: fieldIssues(envelope.error) } };
  const definition = Object.hasOwn(kind.events, envelope.data.event) ? kind.events[envelope.data.event] : undefined;
  if (!definition) {
    return { rejection: { code: 'unknown_event', details: { event: envelope.data.event, known: Object.keys(kind.events) } } };
  }
  const data = definition.data.safeParse(envelope.data.data);
  if (!data.success) {
    return { rejection: { code: 'invalid_payload', details: fieldIssues(data.error).map((i) => ({ ...i, path: `data.${i.path}` })) } };
  }
  return { valid: { channel, payload: { ...envelope.data, data: data.data } } };
}
