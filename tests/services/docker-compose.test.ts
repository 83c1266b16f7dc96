import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { REPO } from '../helpers/child-service.ts';

describe('docker-compose.yml', () => {
  it('is valid for docker-compose and describes TimescaleDB, InfluxDB 1.8, Redis and the service wired to them', () => {
    // Valid as it stands, with nothing set in the shell (the admin password is passed through only when set).
    const { ANJU_ADMIN_PASSWORD: _unset, ...bare } = process.env;
    execFileSync('docker-compose', ['config', '-q'], { cwd: REPO, env: bare, stdio: 'pipe' });
    const resolved = execFileSync('docker-compose', ['config'], { cwd: REPO, env: { ...process.env, ANJU_ADMIN_PASSWORD: 'compose-check' }, encoding: 'utf8' });
    expect(resolved).toMatch(/image: timescale\/timescaledb:/);
    expect(resolved).toMatch(/image: influxdb:1\.8/);
    expect(resolved).toMatch(/image: redis:7/);
    expect(resolved).toContain('ANJU_DATABASE_URL: postgres://anju:');
    expect(resolved).toContain('ANJU_INFLUX_URL: http://influxdb:8086/anju');
    expect(resolved).toContain('ANJU_REDIS_URL: redis://redis:6379');
    expect(resolved).toContain('ANJU_ADMIN_PASSWORD: compose-check');
    expect(fs.existsSync(`${REPO}/Dockerfile`)).toBe(true);
  });
});
