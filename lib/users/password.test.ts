import { randomBytes, scryptSync } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { generatePassword, HASH_CONCURRENCY, HASH_PARAMS, hashingLoad, hashPassword, needsRehash, verifyPassword } from './password';

const PASSWORD = 'correct horse battery staple';

/** Replaces one `$`-separated part of a stored hash. */
function withPart(stored: string, index: number, value: string): string {
  const parts = stored.split('$');
  parts[index] = value;
  return parts.join('$');
}

/** Flips the first character of a base64url string to another valid one. */
const flip = (b64: string) => (b64[0] === 'A' ? 'B' : 'A') + b64.slice(1);

describe('password hashing', () => {
  let stored: string;
  beforeAll(async () => {
    stored = await hashPassword(PASSWORD);
  });

  it('produces a self-describing scrypt string without the password in it', () => {
    const [scheme, n, r, p, salt, hash] = stored.split('$');
    expect(scheme).toBe('scrypt');
    expect([Number(n), Number(r), Number(p)]).toEqual([2 ** 15, 8, 3]);
    expect(Buffer.from(salt!, 'base64url')).toHaveLength(16);
    expect(Buffer.from(hash!, 'base64url')).toHaveLength(32);
    expect(stored).not.toContain(PASSWORD);
  });

  it('salts every hash', async () => {
    expect(await hashPassword(PASSWORD)).not.toBe(stored);
  });

  it('verifies the right password', async () => {
    expect(await verifyPassword(PASSWORD, stored)).toBe(true);
  });

  it('normalizes Unicode before hashing (NFKC)', async () => {
    const composed = await hashPassword('pässwörd-long-enough');
    expect(await verifyPassword('pa\u0308sswo\u0308rd-long-enough', composed)).toBe(true);
  });

  it.each([
    ['a wrong password', 'correct horse battery stapler'],
    ['an empty password', ''],
    ['a different case', PASSWORD.toUpperCase()],
  ])('rejects %s', async (_what, attempt) => {
    expect(await verifyPassword(attempt, stored)).toBe(false);
  });

  it('rejects a tampered hash', async () => {
    expect(await verifyPassword(PASSWORD, withPart(stored, 5, flip(stored.split('$')[5]!)))).toBe(false);
  });

  it('rejects a tampered salt', async () => {
    expect(await verifyPassword(PASSWORD, withPart(stored, 4, flip(stored.split('$')[4]!)))).toBe(false);
  });

  it('rejects a truncated hash', async () => {
    expect(await verifyPassword(PASSWORD, withPart(stored, 5, stored.split('$')[5]!.slice(0, 20)))).toBe(false);
  });

  it('rejects a hash whose cost parameters were changed', async () => {
    expect(await verifyPassword(PASSWORD, withPart(stored, 1, String(2 ** 14)))).toBe(false);
  });

  it.each([
    ['an unknown scheme', (s: string) => withPart(s, 0, 'bcrypt')],
    ['a missing part', (s: string) => s.split('$').slice(0, 5).join('$')],
    ['an empty string', () => ''],
    ['a plain-text password', () => PASSWORD],
    ['a cost parameter that is not a power of two', (s: string) => withPart(s, 1, '3')],
    ['a cost parameter that is not a number', (s: string) => withPart(s, 1, 'abc')],
  ])('rejects %s without throwing', async (_what, mangle) => {
    await expect(verifyPassword(PASSWORD, mangle(stored))).resolves.toBe(false);
  });
});

/** A hash as the first releases stored it: N=2^17, r=8, p=1 (128 MiB). */
function legacyHash(password: string): string {
  const salt = randomBytes(16);
  const key = scryptSync(password.normalize('NFKC'), salt, 32, { N: 2 ** 17, r: 8, p: 1, maxmem: 256 * 1024 * 1024 });
  return ['scrypt', 2 ** 17, 8, 1, salt.toString('base64url'), key.toString('base64url')].join('$');
}

describe('hash cost', () => {
  it('uses 32 MiB per hash (128 * N * r bytes), OWASP equivalent of N=2^17 with p=3', () => {
    expect(128 * HASH_PARAMS.N * HASH_PARAMS.r).toBe(32 * 1024 * 1024);
    expect(HASH_PARAMS.p).toBe(3);
  });

  it('still verifies a hash made at the former cost, and asks for it to be re-hashed', async () => {
    const old = legacyHash(PASSWORD);
    expect(await verifyPassword(PASSWORD, old)).toBe(true);
    expect(await verifyPassword('wrong password here', old)).toBe(false);
    expect(needsRehash(old)).toBe(true);
  });

  it('does not ask to re-hash a hash made at the current cost', async () => {
    expect(needsRehash(await hashPassword(PASSWORD))).toBe(false);
  });

  it.each([['an unknown scheme', 'bcrypt$x'], ['an empty string', '']])('asks to re-hash %s', (_what, stored) => {
    expect(needsRehash(stored)).toBe(true);
  });

  it('computes at most HASH_CONCURRENCY hashes at once (one or two); the others wait', async () => {
    expect([1, 2]).toContain(HASH_CONCURRENCY);
    const started = Array.from({ length: HASH_CONCURRENCY + 4 }, (_, i) => hashPassword(`password number ${i}`));
    await new Promise((resolve) => setImmediate(resolve));
    expect(hashingLoad()).toEqual({ active: HASH_CONCURRENCY, pending: 4 });
    const hashes = await Promise.all(started);
    expect(new Set(hashes).size).toBe(started.length);
    expect(hashingLoad()).toEqual({ active: 0, pending: 0 });
  });
});

describe('generatePassword', () => {
  it('makes 20-character URL-safe passwords that differ each time', () => {
    const a = generatePassword();
    const b = generatePassword();
    expect(a).toMatch(/^[A-Za-z0-9_-]{20}$/);
    expect(a).not.toBe(b);
  });
});
