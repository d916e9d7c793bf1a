import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { KEY_BYTES, keyIdOf, parseSecretsKey } from './keys';

/**
 * Encryption of secrets at rest with AES-256-GCM.
 *
 * Stored form (one string, self-describing): `enc:v1:<key id>:<iv>:<tag>:<ciphertext>`, the last three base64url.
 * The key id names the key that encrypted the value, so a rotation finds what still uses an older key. The
 * `context` (e.g. `connector/<id>/<secret name>`) is authenticated as additional data: a value copied to another
 * connector or secret name fails to decrypt, like a value whose bytes were changed.
 */

const PREFIX = 'enc';
const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A stored value that cannot be decrypted: tampered, malformed, or encrypted with a key that is not configured. */
export class SecretDecryptError extends Error {
  override name = 'SecretDecryptError';
}

interface Key {
  id: string;
  key: Buffer;
}

function toKey(key: Buffer | string): Key {
  const bytes = typeof key === 'string' ? parseSecretsKey(key) : key;
  if (!bytes || bytes.length !== KEY_BYTES) throw new Error(`a secrets key must be ${KEY_BYTES} bytes`);
  return { id: keyIdOf(bytes), key: bytes };
}

/** The parts of a stored value, or null when it is not in a form this version knows. */
export function parseStored(stored: string): { keyId: string; iv: Buffer; tag: Buffer; ciphertext: Buffer } | null {
  const parts = stored.split(':');
  if (parts.length !== 6 || parts[0] !== PREFIX || parts[1] !== VERSION) return null;
  const [, , keyId, iv, tag, ciphertext] = parts as [string, string, string, string, string, string];
  const decoded = { keyId, iv: Buffer.from(iv, 'base64url'), tag: Buffer.from(tag, 'base64url'), ciphertext: Buffer.from(ciphertext, 'base64url') };
  if (decoded.iv.length !== IV_BYTES || decoded.tag.length !== TAG_BYTES) return null;
  return decoded;
}

/** The current key (encrypts and decrypts) and previous keys (only decrypt, during a rotation). */
export class Keyring {
  readonly #current: Key;
  readonly #byId: Map<string, Key>;

  constructor(current: Buffer | string, previous: Array<Buffer | string> = []) {
    this.#current = toKey(current);
    this.#byId = new Map([...previous.map(toKey), this.#current].map((k) => [k.id, k]));
  }

  /** The id of the key new values are encrypted with. */
  get currentKeyId(): string {
    return this.#current.id;
  }

  /** True when this keyring can decrypt values of that key id. */
  knows(keyId: string): boolean {
    return this.#byId.has(keyId);
  }

  encrypt(plaintext: string, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#current.key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [PREFIX, VERSION, this.#current.id, iv.toString('base64url'), tag.toString('base64url'), ciphertext.toString('base64url')].join(':');
  }

  /** Decrypts a stored value; throws {@link SecretDecryptError} (never with the value in its message). */
  decrypt(stored: string, context: string): string {
    const parts = parseStored(stored);
    if (!parts) throw new SecretDecryptError('the stored value is not in a known encrypted form');
    const key = this.#byId.get(parts.keyId);
    if (!key) {
      throw new SecretDecryptError(
        `it was encrypted with key ${parts.keyId}, which is not configured (SECRETS_KEY is key ${this.#current.id}; set SECRETS_KEY_PREVIOUS to the old key)`,
      );
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', key.key, parts.iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(parts.tag);
      return Buffer.concat([decipher.update(parts.ciphertext), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretDecryptError('the stored value failed its integrity check (changed, or moved from another connector or name)');
    }
  }

  /** True when a stored value is encrypted with an older key and should be re-encrypted. */
  isStale(stored: string): boolean {
    return parseStored(stored)?.keyId !== this.#current.id;
  }
}

/** The additional data that binds a connector's secret to that connector and name. */
export const secretContext = (connectorId: string, name: string) => `connector/${connectorId}/${name}`;
