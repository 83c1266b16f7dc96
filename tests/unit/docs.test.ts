import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEVICE_KIND_DEFINITIONS } from '../../contract/index.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');

describe('documentation', () => {
  it('lists every device kind with each of its fields and events in the vendor contract', () => {
    const doc = read('docs/device-contract.md');
    for (const kind of DEVICE_KIND_DEFINITIONS) {
      const row = doc.split('\n').find((line) => line.startsWith(`| \`${kind.kind}\` |`));
      expect(row, kind.kind).toBeDefined();
      for (const name of [...Object.keys(kind.metrics), ...Object.keys(kind.events)]) expect(row, `${kind.kind}.${name}`).toContain(`\`${name}\``);
      expect(row).toContain(`${kind.reportingIntervalS} s`);
    }
  });

  it('shows the two quick-start commands and every configuration variable in the README', () => {
    const readme = read('README.md');
    expect(readme).toContain('npm install && npm run demo');
    expect(readme).toContain('npm test');
    const config = read('platform/config.ts');
    for (const [variable] of config.matchAll(/ANJU_[A-Z_]+/g)) expect(readme, variable).toContain(`\`${variable}\``);
  });
});
