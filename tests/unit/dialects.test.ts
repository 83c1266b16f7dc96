import { describe, expect, it } from 'vitest';
import { deviceKind, type DeviceKind } from '../../contract/index.ts';
import { signAlink, parseAlinkLogin, verifyAlink } from '../../gateway/dialects/alink/signature.ts';
import { FIELD_MAPS } from '../../gateway/dialects/alink/field-maps/index.ts';
import { DIALECTS } from '../../gateway/dialects/index.ts';
import { validate } from '../../gateway/ingest/validate.ts';

describe('vendor dialects', () => {
  for (const dialect of DIALECTS) {
    for (const example of dialect.examples) {
      it(`${dialect.name}: ${example.name}`, () => {
        expect(dialect.owns(example.session, example.topic), 'the dialect owns the example topic').toBe(true);
        const route = dialect.route(example.session, example.topic, JSON.parse(example.payload));
        if (Array.isArray(example.expect)) {
          expect(route?.type).toBe('ingest');
          if (route?.type !== 'ingest') return;
          expect(route.envelopes).toEqual(example.expect);
          // What a dialect produces must be valid canonical input for the device's kind.
          for (const envelope of route.envelopes) {
            const checked = validate(envelope.json, envelope.channel, deviceKind(example.session.kind as DeviceKind));
            expect('valid' in checked, JSON.stringify(checked)).toBe(true);
          }
        } else {
          expect(route?.type).toBe(example.expect.type);
          if (example.expect.code && route?.type === 'invalid') expect(route.rejection.code).toBe(example.expect.code);
        }
      });
    }
  }

  it('gives every dialect at least one example', () => {
    for (const dialect of DIALECTS) expect(dialect.examples.length, dialect.name).toBeGreaterThan(0);
  });

  it('keeps every ALink field map to fields and events its kind defines', () => {
    for (const map of FIELD_MAPS) {
      const kind = deviceKind(map.kind as DeviceKind);
      for (const [property, mapping] of Object.entries(map.properties)) {
        if (mapping.field) expect(Object.keys(kind.metrics), `${map.name}.${property}`).toContain(mapping.field);
        for (const event of Object.values(mapping.events ?? {})) expect(Object.keys(kind.events), `${map.name}.${property}`).toContain(event);
      }
      for (const event of Object.values(map.events)) expect(Object.keys(kind.events), map.name).toContain(event);
    }
  });

  it("does not let a session's dialect claim another device's topics", () => {
    const session = { deviceId: 'a', kind: 'smoke_detector', communityId: 'c1', fieldMap: null, alink: { productKey: 'pk', deviceName: 'a' } };
    const owners = (topic: string) => DIALECTS.filter((d) => d.owns(session, topic)).map((d) => d.name);
    expect(owners('anju/v1/devices/b/telemetry')).toEqual([]);
    expect(owners('/sys/pk/b/thing/event/property/post')).toEqual([]);
    expect(owners('/sys/pk/a/thing/event/property/post')).toEqual(['alink']);
    expect(owners('anju/v1/devices/a/commands')).toEqual([]);
  });
});

describe('ALink signature login', () => {
  const secret = 'deviceSecretForTests';

  it('verifies hmacsha256 and hmacsha1 signatures over the sorted parameters', () => {
    for (const method of ['hmacsha256', 'hmacsha1'] as const) {
      const password = signAlink(secret, method, { clientId: 'c1', deviceName: 'dn', productKey: 'pk' });
      const login = parseAlinkLogin(`c1|securemode=3,signmethod=${method}|`, 'dn&pk', password)!;
      expect(login).toMatchObject({ productKey: 'pk', deviceName: 'dn', signMethod: method });
      expect(verifyAlink(login, secret)).toBe(true);
      expect(verifyAlink(login, 'another-secret')).toBe(false);
    }
  });

  it('includes a timestamp from the client id in the signature', () => {
    const password = signAlink(secret, 'hmacsha256', { clientId: 'c1', deviceName: 'dn', productKey: 'pk', timestamp: '1764403200000' });
    const login = parseAlinkLogin('c1|securemode=2,signmethod=hmacsha256,timestamp=1764403200000|', 'dn&pk', password)!;
    expect(verifyAlink(login, secret)).toBe(true);
  });

  it('does not take a plain login for an ALink one', () => {
    expect(parseAlinkLogin('sim-gas-1', 'gas-1', 'secret')).toBeUndefined();
    expect(parseAlinkLogin('c1|securemode=3,signmethod=md5|', 'dn&pk', 'x')).toBeUndefined();
    expect(parseAlinkLogin('c1|signmethod=hmacsha256|', 'dn&pk', 'x')).toBeUndefined();
  });
});
