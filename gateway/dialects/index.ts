/** Registered dialects. Adding one: a definition file in this folder and one line here. */
import { alinkDialect } from './alink/dialect.ts';
import { anjuDialect } from './anju.ts';
import { thingsboardDialect } from './thingsboard.ts';
import type { Dialect, DialectName } from './types.ts';

export const DIALECTS: readonly Dialect[] = [anjuDialect, alinkDialect, thingsboardDialect];

const byName = new Map<DialectName, Dialect>(DIALECTS.map((d) => [d.name, d]));

export function dialect(name: DialectName): Dialect {
  return byName.get(name)!;
}

export type { CanonicalEnvelope, Dialect, DialectName, DialectRoute, DialectSession } from './types.ts';
