/**
 * Reference numbers (`AJ-20261129-0007`: the day of intake in Beijing time and that day's sequence) and
 * the check code a resident gets with one: shown once, stored only as a hash, compared in constant time.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** `2026-11-29`, 7 → `AJ-20261129-0007` (more digits past 9999 a day). */
export function formatReference(day: string, sequence: number): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new Error(`not a day: ${day}`);
  if (!Number.isInteger(sequence) || sequence < 1) throw new Error(`not a sequence number: ${sequence}`);
  return `AJ-${day.replaceAll('-', '')}-${String(sequence).padStart(4, '0')}`;
}

/** Upper-case letters and digits a resident will not confuse when reading them off a receipt (no 0/O, 1/I/L, U/V). */
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTWXYZ23456789';
export const CHECK_CODE_LENGTH = 8;

/** 8 characters of a 29-letter alphabet: about 39 bits, and the public endpoints are rate-limited. */
export function newCheckCode(): string {
  // 256 is not a multiple of 29: draw bytes below the largest multiple so every letter is equally likely.
  const limit = 256 - (256 % CODE_ALPHABET.length);
  let code = '';
  while (code.length < CHECK_CODE_LENGTH) {
    for (const byte of randomBytes(CHECK_CODE_LENGTH * 2)) {
      if (byte >= limit || code.length >= CHECK_CODE_LENGTH) continue;
      code += CODE_ALPHABET[byte % CODE_ALPHABET.length];
    }
  }
  return code;
}

/** Residents may type the code in lower case or with spaces. */
export function normaliseCheckCode(code: string): string {
  return code.replace(/[\s-]/g, '').toUpperCase();
}

export function hashCheckCode(code: string): string {
  return createHash('sha256').update(normaliseCheckCode(code)).digest('hex');
}

export function checkCodeMatches(code: string, storedHash: string): boolean {
  const given = Buffer.from(hashCheckCode(code), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return given.length === stored.length && timingSafeEqual(given, stored);
}
