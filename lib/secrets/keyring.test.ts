import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Keyring, SecretDecryptError, parseStored, secretContext } from './keyring';
import { keyIdOf, parseSecretsKey } from './keys';

const keyA = randomBytes(32);
const keyB = randomBytes(32);
const ctx = secretContext('helpdesk', 'token');

describe('parseSecretsKey', () => {
  it('reads 32 bytes as base64, base64url or hex', () => {
    expect(parseSecretsKey(keyA.toString('base64'))).toEqual(keyA);
    expect(parseSecretsKey(keyA.toString('base64url'))).toEqual(keyA);
    expect(parseSecretsKey(keyA.toString('hex'))).toEqual(keyA);
  });

  it.each([['too short', randomBytes(16).toString('base64')], ['a passphrase', 'correct horse battery staple'], ['hex of 31 bytes', randomBytes(31).toString('hex')], ['empty', '']])(
    'rejects %s',
    (_what, text) => expect(parseSecretsKey(text)).toBeNull(),
  );
});

describe('Keyring', () => {
  it('round-trips a value, including unicode and long values', () => {
    const keyring = new Keyring(keyA);
    for (const value of ['hunter2', 'pässwörd-🔑', 'x'.repeat(10_000)]) expect(keyring.decrypt(keyring.encrypt(value, ctx), ctx)).toBe(value);
  });

  it('stores a self-describing, versioned form with the key id, and a fresh IV every time', () => {
    const keyring = new Keyring(keyA);
    const a = keyring.encrypt('same', ctx);
    const b = keyring.encrypt('same', ctx);
    expect(a).toMatch(/^enc:v1:[\w-]{10}:[\w-]+:[\w-]+:[\w-]+$/);
    expect(parseStored(a)!.keyId).toBe(keyIdOf(keyA));
    expect(a).not.toBe(b);
    expect(a).not.toContain('same');
  });

  it('detects tampering with the ciphertext, the tag or the IV', () => {
    const keyring = new Keyring(keyA);
    const stored = keyring.encrypt('top secret value', ctx);
    const parts = stored.split(':');
    for (const index of [3, 4, 5]) {
      const bytes = Buffer.from(parts[index]!, 'base64url');
      bytes[0] = bytes[0]! ^ 1;
      const changed = [...parts];
      changed[index] = bytes.toString('base64url');
      expect(() => keyring.decrypt(changed.join(':'), ctx)).toThrow(SecretDecryptError);
    }
  });

  it('refuses a value moved to another connector or secret name', () => {
    const keyring = new Keyring(keyA);
    const stored = keyring.encrypt('value', ctx);
    expect(() => keyring.decrypt(stored, secretContext('other', 'token'))).toThrow(/integrity/);
    expect(() => keyring.decrypt(stored, secretContext('helpdesk', 'password'))).toThrow(SecretDecryptError);
  });

  it('refuses malformed values without echoing them', () => {
    const keyring = new Keyring(keyA);
    expect(() => keyring.decrypt('plain-text-password', ctx)).toThrow(/not in a known encrypted form/);
    try {
      keyring.decrypt('plain-text-password', ctx);
    } catch (error) {
      expect((error as Error).message).not.toContain('plain-text-password');
    }
  });

  it('rotation: the new keyring reads values of the previous key, marks them stale and re-encrypts with the new one', () => {
    const old = new Keyring(keyA);
    const stored = old.encrypt('rotate me', ctx);
    const rotating = new Keyring(keyB, [keyA]);
    expect(rotating.currentKeyId).toBe(keyIdOf(keyB));
    expect(rotating.isStale(stored)).toBe(true);
    const again = rotating.encrypt(rotating.decrypt(stored, ctx), ctx);
    expect(rotating.isStale(again)).toBe(false);
    expect(new Keyring(keyB).decrypt(again, ctx)).toBe('rotate me');
  });

  it('without the previous key, says which key is missing and what to set', () => {
    const stored = new Keyring(keyA).encrypt('value', ctx);
    expect(() => new Keyring(keyB).decrypt(stored, ctx)).toThrow(`encrypted with key ${keyIdOf(keyA)}, which is not configured`);
    expect(() => new Keyring(keyB).decrypt(stored, ctx)).toThrow(/SECRETS_KEY_PREVIOUS/);
  });
});
