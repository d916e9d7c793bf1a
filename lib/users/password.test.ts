import { beforeAll, describe, expect, it } from 'vitest';
import { generatePassword, hashPassword, verifyPassword } from './password';

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
    expect([Number(n), Number(r), Number(p)]).toEqual([2 ** 17, 8, 1]);
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

describe('generatePassword', () => {
  it('makes 20-character URL-safe passwords that differ each time', () => {
    const a = generatePassword();
    const b = generatePassword();
    expect(a).toMatch(/^[A-Za-z0-9_-]{20}$/);
    expect(a).not.toBe(b);
  });
});
