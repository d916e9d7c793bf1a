import type { Db } from 'mongodb';
import { z } from 'zod';
import type { FieldError } from '@/lib/api/errors';
import { Keyring, SecretDecryptError, secretContext } from '@/lib/secrets/keyring';
import type { ConnectorKind } from './kind';
import { collections } from '@/lib/store/collections';

/**
 * A connector's secrets: stored encrypted (see lib/secrets/keyring), shown only as "set" with a date, decrypted
 * only for a run. Names are also MongoDB field names and environment-variable-like, hence the strict rule.
 */

export const secretNameSchema = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, { error: 'must be 1-64 letters, digits or _, not starting with a digit' });

/** One stored secret: the encrypted value and when it was set. */
export interface StoredSecret {
  value: string;
  updatedAt: Date;
}
export type StoredSecrets = Record<string, StoredSecret>;

/** What the API shows of a secret: that it is set, and since when. Never the value. */
export type SecretsView = Record<string, { set: true; updatedAt: string }>;

export function toSecretsView(stored: StoredSecrets | undefined): SecretsView {
  return Object.fromEntries(
    Object.entries(stored ?? {})
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, secret]) => [name, { set: true as const, updatedAt: secret.updatedAt.toISOString() }]),
  );
}

/** A change of secrets: a value sets one, null removes one. */
export type SecretsInput = Record<string, string | null>;

/**
 * Checks secrets against a kind: new values by the kind's `secretsSchema`, and that the secrets the configuration
 * needs are set afterwards. `existing` are the names already set (on an update). Returns field errors under
 * `secrets.*` (empty when fine).
 */
export function checkSecrets(kind: ConnectorKind<unknown, Record<string, string>>, config: unknown, input: SecretsInput, existing: string[] = []): FieldError[] {
  const errors: FieldError[] = [];
  const values = Object.fromEntries(Object.entries(input).filter((entry): entry is [string, string] => entry[1] !== null));
  const parsed = kind.secretsSchema.safeParse(values);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      // Never echo a value: messages come from the schema, paths are names.
      errors.push({ path: ['secrets', ...issue.path.map(String)].join('.'), message: issue.code === 'unrecognized_keys' ? `${issue.message} (kind ${kind.kind} accepts other secrets)` : issue.message });
    }
  }
  const after = new Set(existing);
  for (const [name, value] of Object.entries(input)) {
    if (value === null) after.delete(name);
    else after.add(name);
  }
  for (const required of kind.requiredSecrets?.(config) ?? []) {
    if (!after.has(required.name)) errors.push({ path: `secrets.${required.name}`, message: `is required: ${required.why}` });
  }
  return errors;
}

/** Encrypts the set values of an input for a connector; null entries are left to the caller (they remove). */
export function encryptSecrets(keyring: Keyring, connectorId: string, input: SecretsInput, at = new Date()): StoredSecrets {
  return Object.fromEntries(
    Object.entries(input)
      .filter((entry): entry is [string, string] => entry[1] !== null)
      .map(([name, value]) => [name, { value: keyring.encrypt(value, secretContext(connectorId, name)), updatedAt: at }]),
  );
}

/** A secret that cannot be decrypted; the message names the connector and secret, never the value. */
export class SecretUnavailableError extends Error {
  override name = 'SecretUnavailableError';
}

/** Decrypts a connector's secrets for a run. */
export function decryptSecrets(keyring: Keyring, connectorId: string, stored: StoredSecrets | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, secret] of Object.entries(stored ?? {})) {
    try {
      out[name] = keyring.decrypt(secret.value, secretContext(connectorId, name));
    } catch (error) {
      if (error instanceof SecretDecryptError) throw new SecretUnavailableError(`secret "${name}" of connector ${connectorId} cannot be decrypted: ${error.message}`);
      throw error;
    }
  }
  return out;
}

/**
 * Re-encrypts every secret that is not encrypted with the current key (a rotation: SECRETS_KEY is the new key,
 * SECRETS_KEY_PREVIOUS the old one). Each value is replaced only if it has not changed meanwhile, so instances
 * starting together do not overwrite each other. Values no configured key can read are reported, not touched.
 */
export async function reencryptSecrets({ db, keyring }: { db: Db; keyring: Keyring }): Promise<{ reencrypted: number; unreadable: Array<{ connectorId: string; name: string; reason: string }> }> {
  const col = collections.connectors<{ _id: string; secrets?: StoredSecrets }>(db);
  let reencrypted = 0;
  const unreadable: Array<{ connectorId: string; name: string; reason: string }> = [];
  for await (const doc of col.find({ secrets: { $exists: true } }, { projection: { secrets: 1 } })) {
    for (const [name, secret] of Object.entries(doc.secrets ?? {})) {
      if (!keyring.isStale(secret.value)) continue;
      const context = secretContext(doc._id, name);
      let plain: string;
      try {
        plain = keyring.decrypt(secret.value, context);
      } catch (error) {
        unreadable.push({ connectorId: doc._id, name, reason: (error as Error).message });
        continue;
      }
      const result = await col.updateOne(
        { _id: doc._id, [`secrets.${name}.value`]: secret.value },
        { $set: { [`secrets.${name}.value`]: keyring.encrypt(plain, context) } },
      );
      reencrypted += result.modifiedCount;
    }
  }
  return { reencrypted, unreadable };
}
