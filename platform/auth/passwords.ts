/** Secrets and passwords are stored only as scrypt hashes (`scrypt$N$r$p$salt$hash`). */
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import fastq from 'fastq';

interface ScryptJob {
  password: string;
  salt: Buffer;
  keylen: number;
  options: ScryptOptions;
}

/**
 * Each scrypt call holds 16 MiB and a thread-pool thread for tens of milliseconds. At most two run at
 * once, so a burst of device connections neither starves other I/O of the pool nor inflates memory.
 */
const SCRYPT_CONCURRENCY = 2;
const queue = fastq.promise<unknown, ScryptJob, Buffer>(
  (job) => new Promise<Buffer>((resolve, reject) => scryptCb(job.password, job.salt, job.keylen, job.options, (err, key) => (err ? reject(err) : resolve(key)))),
  SCRYPT_CONCURRENCY,
);
const scrypt = (password: string, salt: Buffer, keylen: number, options: ScryptOptions) => queue.push({ password, salt, keylen, options });

const R = 8;
const P = 1;
const KEYLEN = 32;
/** For passwords people choose: memory-hard enough to slow guessing (16 MiB per check). */
export const PASSWORD_COST = 16384;
/**
 * For the platform's own 192-bit random device secrets, guessing is hopeless whatever the hash, so a
 * lighter scrypt (1 MiB, about 1 ms) keeps a reconnect storm of thousands of devices from queueing.
 */
export const DEVICE_SECRET_COST = 1024;

export async function hashSecret(secret: string, cost = PASSWORD_COST): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(secret, salt, KEYLEN, { N: cost, r: R, p: P });
  return `scrypt$${cost}$${R}$${P}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const key = await scrypt(secret, Buffer.from(salt, 'base64'), expected.length, { N: Number(n), r: Number(r), p: Number(p), maxmem: 256 * Number(n) * Number(r) });
  return timingSafeEqual(key, expected);
}

/** A device secret: 24 random bytes, URL-safe. */
export function newDeviceSecret(): string {
  return randomBytes(24).toString('base64url');
}
