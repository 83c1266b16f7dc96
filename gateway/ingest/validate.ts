import { EventPayload, fieldIssues, TelemetryPayload, type DeviceKindDefinition } from '../../contract/index.ts';
import type { IngestChannel, Rejection } from './message.ts';

export type ValidPayload = { channel: 'telemetry'; payload: TelemetryPayload } | { channel: 'events'; payload: EventPayload };

/**
 * A metric schema compiled to a plain predicate that is true only where the schema accepts the value as it
 * is (numbers with min/max/int checks, booleans). Anything else — a refinement, a transform, a check this
 * does not know — compiles to nothing, and the schema itself is asked.
 */
type Accepts = (value: unknown) => boolean;

interface SchemaInternals {
  _zod?: { def?: { type?: string; coerce?: boolean; checks?: { _zod?: { def?: Record<string, unknown> } }[] } };
}

function compileMetric(schema: unknown): Accepts | undefined {
  const def = (schema as SchemaInternals)._zod?.def;
  if (!def || def.coerce) return undefined;
  const checks = def.checks ?? [];
  if (def.type === 'boolean') return checks.length ? undefined : (v) => typeof v === 'boolean';
  if (def.type !== 'number') return undefined;
  const bounds: { value: number; inclusive: boolean; above: boolean }[] = [];
  let int = false;
  for (const check of checks) {
    const c = check._zod?.def;
    if (!c || c.when !== undefined) return undefined;
    if ((c.check === 'greater_than' || c.check === 'less_than') && typeof c.value === 'number') {
      bounds.push({ value: c.value, inclusive: c.inclusive === true, above: c.check === 'greater_than' });
    } else if (c.check === 'number_format' && c.format === 'safeint') int = true;
    else return undefined;
  }
  return (v) => {
    if (typeof v !== 'number' || !Number.isFinite(v) || (int && !Number.isSafeInteger(v))) return false;
    for (const b of bounds) {
      if (b.above ? (b.inclusive ? v < b.value : v <= b.value) : b.inclusive ? v > b.value : v >= b.value) return false;
    }
    return true;
  };
}

const compiled = new WeakMap<DeviceKindDefinition, Map<string, Accepts | undefined>>();

function metricPredicates(kind: DeviceKindDefinition): Map<string, Accepts | undefined> {
  let map = compiled.get(kind);
  if (!map) {
    map = new Map(Object.keys(kind.metrics).map((field) => [field, compileMetric(kind.metrics[field]!.schema)]));
    compiled.set(kind, map);
  }
  return map;
}

const isWholeNonNegative = (v: unknown) => v === undefined || (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0);

/**
 * The common case without zod: a telemetry envelope with numeric `ts`/`seq` and values every one of which
 * the kind's compiled predicates accept. Returns the payload only when the full validation below would
 * accept it with the same content; anything else (an ISO timestamp, an unknown field, a bad value) goes the
 * full way, which words the rejection.
 */
function fastTelemetry(json: unknown, kind: DeviceKindDefinition): TelemetryPayload | undefined {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return undefined;
  const o = json as Record<string, unknown>;
  for (const key in o) if (key !== 'ts' && key !== 'seq' && key !== 'values') return undefined;
  if (!isWholeNonNegative(o.ts) || !isWholeNonNegative(o.seq)) return undefined;
  const values = o.values;
  if (typeof values !== 'object' || values === null || Array.isArray(values)) return undefined;
  const predicates = metricPredicates(kind);
  let fields = 0;
  for (const field in values) {
    // `__proto__` as a JSON key is an own property that the schema's copy would not keep.
    if (field === '__proto__' || !Object.hasOwn(values, field)) return undefined;
    const accepts = predicates.get(field);
    if (!accepts || !accepts((values as Record<string, unknown>)[field])) return undefined;
    fields++;
  }
  if (!fields) return undefined;
  return o as TelemetryPayload;
}

/** Checks the envelope against the contract, then each field and event against the device's kind. */
export function validate(json: unknown, channel: IngestChannel, kind: DeviceKindDefinition): { valid: ValidPayload } | { rejection: Rejection } {
  if (channel === 'telemetry') {
    const fast = fastTelemetry(json, kind);
    if (fast) return { valid: { channel, payload: fast } };
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
