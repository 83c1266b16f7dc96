import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/** Short readable ids: a prefix naming the kind of thing, then 10 random base-32 characters. */
export function newId(prefix: string): string {
  const bytes = randomBytes(10);
  let out = `${prefix}-`;
  for (const byte of bytes) out += ALPHABET[byte & 31];
  return out;
}
