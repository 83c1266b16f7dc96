import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../helpers/child-service.ts';

describe('start-up', () => {
  it('stops on invalid configuration with one line naming the variable and the problem', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(REPO, 'platform/main.ts')], {
      cwd: REPO,
      env: { ...process.env, ANJU_MQTT_PORT: 'eighteen-eighty-three' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.status).toBe(2);
    expect(result.stderr.trim()).toBe('anju: invalid configuration: ANJU_MQTT_PORT must be a port number (got "eighteen-eighty-three")');
  });
});
