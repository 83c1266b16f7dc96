import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ERROR_CATALOGUE, ERROR_CODES } from '../../contract/index.ts';

const doc = fs.readFileSync(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../docs/errors.md'), 'utf8');

describe('error catalogue', () => {
  it('documents every code in docs/errors.md with its HTTP status', () => {
    for (const code of ERROR_CODES) {
      const row = doc.split('\n').find((line) => line.startsWith(`| \`${code}\` |`));
      expect(row, `${code} is not documented`).toBeDefined();
      expect(row).toContain(`| ${ERROR_CATALOGUE[code].status} |`);
    }
  });

  it('documents no code that does not exist', () => {
    const documented = [...doc.matchAll(/^\| `([a-z_]+)` \|/gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual([...ERROR_CODES].sort());
  });

  it('gives every code one human sentence', () => {
    for (const code of ERROR_CODES) expect(ERROR_CATALOGUE[code].message).toMatch(/^[A-Z].*\.$/);
  });
});
