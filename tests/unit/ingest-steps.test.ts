import { describe, expect, it } from 'vitest';
import { deviceKind } from '../../contract/index.ts';
import type { DeviceInfo } from '../../gateway/device-info.ts';
import { SeqDeduplicator } from '../../gateway/ingest/dedupe.ts';
import { MAX_FUTURE_SKEW_MS } from '../../gateway/ingest/normalise.ts';
import { MAX_PAYLOAD_BYTES } from '../../gateway/ingest/parse.ts';
import { runIngestSteps } from '../../gateway/ingest/pipeline.ts';

const NOW = Date.parse('2026-11-29T08:00:00Z');
const device = (kind: 'smoke_detector' | 'kiosk' | 'flood_sensor' = 'smoke_detector'): DeviceInfo => ({
  id: `${kind}-1`,
  kind,
  definition: deviceKind(kind),
  communityId: 'c',
  gridId: 'g',
  buildingId: null,
  dialect: 'anju',
  fieldMap: null,
  alink: null,
});
const run = (payload: unknown, channel: 'telemetry' | 'events' = 'telemetry', kind?: 'smoke_detector' | 'kiosk' | 'flood_sensor', dedupe = new SeqDeduplicator()) =>
  runIngestSteps(
    { device: device(kind), channel, topic: 't', payload: Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload)), receivedAt: NOW },
    dedupe,
  );

describe('ingest steps', () => {
  it('rejects a payload that is not JSON at the parse step', () => {
    expect(run('{"values":')).toMatchObject({ status: 'rejected', step: 'parse', rejection: { code: 'invalid_json' } });
  });

  it('rejects an oversized payload before parsing it', () => {
    const outcome = run(`{"values":{"battery":1},"pad":"${'x'.repeat(MAX_PAYLOAD_BYTES)}"}`);
    expect(outcome).toMatchObject({ status: 'rejected', step: 'parse', rejection: { code: 'payload_too_large' } });
  });

  it('names each offending field of an invalid envelope', () => {
    const outcome = run({ values: { battery: 'high' }, seq: -1, extra: 1 });
    expect(outcome.status).toBe('rejected');
    if (outcome.status !== 'rejected') return;
    expect(outcome.rejection.code).toBe('invalid_payload');
    const paths = (outcome.rejection.details as { path: string }[]).map((d) => d.path).sort();
    expect(paths).toEqual(['(root)', 'seq', 'values.battery']);
  });

  it("rejects fields the kind does not define and values outside the kind's range", () => {
    expect(run({ values: { gas_lel: 3 } })).toMatchObject({ rejection: { code: 'unknown_metric', details: { fields: ['gas_lel'] } } });
    expect(run({ values: { battery: 140 } })).toMatchObject({ rejection: { code: 'invalid_payload', details: [{ path: 'values.battery' }] } });
  });

  it('rejects unknown events and checks event data against the kind', () => {
    expect(run({ event: 'explode' }, 'events')).toMatchObject({ rejection: { code: 'unknown_event', details: { event: 'explode' } } });
    expect(run({ event: 'service_completed', data: { service: 'social security', duration_s: -5 } }, 'events', 'kiosk')).toMatchObject({
      rejection: { code: 'invalid_payload', details: [{ path: 'data.duration_s' }] },
    });
    expect(run({ event: 'service_completed', data: { service: '社保查询', duration_s: 95, rating: 5 } }, 'events', 'kiosk')).toMatchObject({ status: 'accepted' });
  });

  it('normalises timestamps (epoch ms or ISO-8601, missing means now) and booleans', () => {
    expect(run({ values: { leak: true, water_level_cm: 3 } }, 'telemetry', 'flood_sensor')).toMatchObject({
      status: 'accepted',
      message: { ts: NOW, values: { leak: 1, water_level_cm: 3 } },
    });
    expect(run({ ts: '2026-11-29T07:59:00+08:00', values: { battery: 50 } })).toMatchObject({ message: { ts: Date.parse('2026-11-28T23:59:00Z') } });
    expect(run({ ts: NOW - 1000, values: { battery: 50 } })).toMatchObject({ message: { ts: NOW - 1000 } });
  });

  it('refuses timestamps far in the future or from an unset clock', () => {
    expect(run({ ts: NOW + MAX_FUTURE_SKEW_MS + 1, values: { battery: 50 } })).toMatchObject({ step: 'normalise', rejection: { code: 'invalid_timestamp' } });
    expect(run({ ts: 0, values: { battery: 50 } })).toMatchObject({ rejection: { code: 'invalid_timestamp' } });
  });

  it('drops a repeat of (device, seq) as a duplicate', () => {
    const dedupe = new SeqDeduplicator();
    expect(run({ seq: 7, values: { battery: 50 } }, 'telemetry', undefined, dedupe).status).toBe('accepted');
    expect(run({ seq: 7, values: { battery: 50 } }, 'telemetry', undefined, dedupe).status).toBe('duplicate');
    expect(run({ seq: 8, values: { battery: 50 } }, 'telemetry', undefined, dedupe).status).toBe('accepted');
    expect(run({ values: { battery: 50 } }, 'telemetry', undefined, dedupe).status).toBe('accepted');
  });

  it('forgets seqs after the window, so a device that restarts its counter is heard again', () => {
    const dedupe = new SeqDeduplicator(60_000);
    expect(dedupe.isDuplicate('d', 1, 0)).toBe(false);
    expect(dedupe.isDuplicate('d', 1, 59_999)).toBe(true);
    expect(dedupe.isDuplicate('d', 1, 120_000)).toBe(false);
    expect(dedupe.isDuplicate('other', 1, 120_000)).toBe(false);
  });
});

describe('telemetry validation without zod (the common case)', () => {
  // The fast path must agree with the schemas everywhere: accept exactly what they accept, with the same content.
  const kinds = ['smoke_detector', 'flood_sensor', 'kiosk'] as const;
  const samples: unknown[] = [
    0, -0, 1, 2.5, -1, -100, -100.01, 99.999, 100, 100.0001, 1000, 1001, 10_000, 10_000.5, 1e300, -1e300, Number.MAX_SAFE_INTEGER, 2 ** 60, 0.1, true, false, null, '1', [], {},
  ];
  const envelopes = (kind: (typeof kinds)[number]): unknown[] => {
    const fields = Object.keys(deviceKind(kind).metrics);
    const out: unknown[] = [];
    for (const field of [...fields, 'gas_lel', '__proto__']) for (const v of samples) out.push({ values: { [field]: v } }, { seq: 3, ts: NOW, values: { [fields[0]!]: 1, [field]: v } });
    for (const ts of [NOW, NOW + 0.5, -1, '2026-11-29T07:59:00Z', null, undefined, 2 ** 60]) out.push({ ts, values: { [fields[0]!]: 1 } });
    for (const seq of [0, 1.5, -1, Number.MAX_SAFE_INTEGER, 2 ** 60, '1', null]) out.push({ seq, values: { [fields[0]!]: 1 } });
    out.push({ values: {} }, { values: [] }, { values: null }, {}, [], null, 3, { values: { [fields[0]!]: 1 }, extra: 1 });
    return out;
  };
  it('agrees with the schemas on accepted and rejected payloads alike', async () => {
    const { validate } = await import('../../gateway/ingest/validate.ts');
    const { TelemetryPayload } = await import('../../contract/index.ts');
    for (const kind of kinds) {
      const definition = deviceKind(kind);
      for (const json of [...envelopes(kind), ...envelopes(kind).map((e) => JSON.parse(JSON.stringify(e) ?? 'null') as unknown)]) {
        const outcome = validate(json, 'telemetry', definition);
        const envelope = TelemetryPayload.safeParse(json);
        const full =
          envelope.success &&
          Object.keys(envelope.data.values).every((f) => Object.hasOwn(definition.metrics, f) && definition.metrics[f]!.schema.safeParse(envelope.data.values[f]).success);
        expect('valid' in outcome, JSON.stringify(json)).toBe(full);
        if ('valid' in outcome && envelope.success) expect(outcome.valid.payload).toEqual(envelope.data);
      }
    }
  });
});
