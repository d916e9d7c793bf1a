import { createHash } from 'node:crypto';

/** Length of an AES-256 key in bytes. */
export const KEY_BYTES = 32;

/** What a configured key must look like, for error messages. */
export const KEY_RULE = 'must be 32 bytes as base64 (44 characters) or hex (64 characters); try: openssl rand -base64 32';

/**
 * Decodes a secrets key given as hex (64 characters) or base64/base64url (43-44 characters). Returns null when the
 * text is neither or does not decode to exactly 32 bytes.
 */
export function parseSecretsKey(text: string): Buffer | null {
  const value = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(value)) return Buffer.from(value, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}={0,1}$/.test(value)) {
    const key = Buffer.from(value.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    return key.length === KEY_BYTES ? key : null;
  }
  return null;
}

/** A short public name for a key, stored beside every value it encrypted, so a rotation knows what to re-encrypt. */
export function keyIdOf(key: Buffer): string {
  return createHash('sha256').update('syncdeck secrets key id\0').update(key).digest('base64url').slice(0, 10);
}
