import { availableParallelism } from 'node:os';
import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import pLimit from 'p-limit';

/**
 * scrypt parameters: OWASP's password storage guidance lists N=2^17/r=8/p=1 (128 MiB per hash) and, as equal
 * strength with less memory, N=2^15/r=8/p=3. Syncdeck takes the latter: 32 MiB per hash, about 0.3 s of one core
 * (measured; see README), so a burst of sign-ins cannot exhaust a small server's memory. Hashes carry their own
 * parameters, so older ones still verify and are re-hashed at this cost on the next successful sign-in.
 */
export const HASH_PARAMS = { N: 2 ** 15, r: 8, p: 3 } as const;
const KEY_LENGTH = 32;

/**
 * How many hashes run at once, on the whole process (sign-in, user creation, the CLI): one core is left to serve
 * pages. More wait their turn; memory for hashing stays below this many times 128 * N * r bytes.
 */
export const HASH_CONCURRENCY = Math.max(1, Math.min(2, availableParallelism() - 1));
const hashSlots = pLimit(HASH_CONCURRENCY);

/** Hashes being computed and waiting for a slot right now. */
export function hashingLoad(): { active: number; pending: number } {
  return { active: hashSlots.activeCount, pending: hashSlots.pendingCount };
}

function scrypt(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return hashSlots(
    () =>
      new Promise<Buffer>((resolve, reject) =>
        scryptCallback(password.normalize('NFKC'), salt, KEY_LENGTH, { ...options, maxmem: 256 * 1024 * 1024 }, (error, key) =>
          error ? reject(error) : resolve(key),
        ),
      ),
  );
}

/** Hashes a password into a self-describing string: `scrypt$N$r$p$salt$hash` (base64url parts). */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, HASH_PARAMS);
  return ['scrypt', HASH_PARAMS.N, HASH_PARAMS.r, HASH_PARAMS.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** Checks a password against a stored hash in constant time. Unknown formats never verify. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !hash) return false;
  const params = { N: Number(n), r: Number(r), p: Number(p) };
  // A damaged hash (cost not a power of two, absurd sizes) never verifies; it must not throw either.
  const sane = Number.isInteger(params.N) && params.N > 1 && (params.N & (params.N - 1)) === 0 && params.N <= 2 ** 20;
  if (!sane || !Number.isInteger(params.r) || !Number.isInteger(params.p) || params.r < 1 || params.r > 32 || params.p < 1 || params.p > 16) return false;
  const expected = Buffer.from(hash, 'base64url');
  try {
    const actual = await scrypt(password, Buffer.from(salt, 'base64url'), params);
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  } catch {
    return false;
  }
}

/** Whether a stored hash was made with other parameters than {@link HASH_PARAMS} (re-hash it after it verified). */
export function needsRehash(stored: string): boolean {
  const [scheme, n, r, p] = stored.split('$');
  return scheme !== 'scrypt' || Number(n) !== HASH_PARAMS.N || Number(r) !== HASH_PARAMS.r || Number(p) !== HASH_PARAMS.p;
}

/** A password for a generated first admin: 20 characters from a 64-symbol alphabet (120 bits). */
export function generatePassword(): string {
  return randomBytes(15).toString('base64url');
}
