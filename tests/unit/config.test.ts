import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../platform/config.ts';

describe('configuration', () => {
  it('uses the contract defaults when nothing is set', () => {
    const config = parseConfig({});
    expect(config).toMatchObject({ mqttPort: 1883, httpPort: 8080, host: '127.0.0.1', databaseUrl: undefined, mqttsPort: undefined });
    expect(config.dataDir).toBe(path.resolve('./data'));
  });

  it('is frozen once parsed', () => {
    const config = parseConfig({ ANJU_HTTP_PORT: '9000' });
    expect(Object.isFrozen(config)).toBe(true);
    expect(config.httpPort).toBe(9000);
  });

  it('names the variable and the problem for an invalid value', () => {
    expect(() => parseConfig({ ANJU_MQTT_PORT: 'abc' })).toThrowError(/^ANJU_MQTT_PORT must be a port number \(got "abc"\)$/);
    expect(() => parseConfig({ ANJU_HTTP_PORT: '70000' })).toThrowError(/ANJU_HTTP_PORT must be between 0 and 65535/);
    expect(() => parseConfig({ ANJU_DATABASE_URL: 'mysql://x' })).toThrowError(/ANJU_DATABASE_URL must be a URL starting with postgres:\/\/ or postgresql:\/\//);
    expect(() => parseConfig({ ANJU_READINGS_RETENTION_DAYS: 'forever' })).toThrowError(/^ANJU_READINGS_RETENTION_DAYS must be a number of days \(got "forever"\)$/);
    expect(() => parseConfig({ ANJU_EVENTS_RETENTION_DAYS: '0' })).toThrowError(/ANJU_EVENTS_RETENTION_DAYS must be between 1 and 3650 days/);
  });

  it('keeps raw readings 90 days and events 730 by default, or as configured', () => {
    expect(parseConfig({}).retention).toEqual({ readingsDays: 90, eventsDays: 730 });
    expect(parseConfig({ ANJU_READINGS_RETENTION_DAYS: '30', ANJU_EVENTS_RETENTION_DAYS: '365' }).retention).toEqual({ readingsDays: 30, eventsDays: 365 });
  });

  it('reports every problem together, one line each, and never echoes a password', () => {
    try {
      parseConfig({ ANJU_MQTT_PORT: '-1', ANJU_HOST: 'not a host', ANJU_ADMIN_PASSWORD: 'short' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems;
      expect(problems).toHaveLength(3);
      expect(problems.some((p) => p.startsWith('ANJU_HOST'))).toBe(true);
      expect(problems.find((p) => p.startsWith('ANJU_ADMIN_PASSWORD'))).not.toContain('short');
    }
  });

  it('asks for a certificate and key when the TLS port is set', () => {
    expect(() => parseConfig({ ANJU_MQTTS_PORT: '8883' })).toThrowError(/ANJU_TLS_CERT is required when ANJU_MQTTS_PORT is set/);
  });

  it('treats an empty variable as unset', () => {
    expect(parseConfig({ ANJU_DATABASE_URL: '' }).databaseUrl).toBeUndefined();
  });
});
