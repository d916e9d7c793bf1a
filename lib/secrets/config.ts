import { randomBytes } from 'node:crypto';
import type { Config } from '@/lib/env';
import { Keyring } from './keyring';
import { readOrCreateLocalSecret } from './local-secret';

/** File under the data dir that holds the development secrets key. */
export const LOCAL_KEY_FILE = 'secrets-key';

/**
 * The secrets key of this process: SECRETS_KEY, or in development a key generated once and kept under the data
 * dir (mode 0600). Production requires SECRETS_KEY (checked by loadConfig).
 */
export async function resolveSecretsKey(config: Config): Promise<{ key: string; generatedFile?: string }> {
  if (config.secretsKey) return { key: config.secretsKey };
  const local = await readOrCreateLocalSecret({ dataDir: config.dataDir, name: LOCAL_KEY_FILE, generate: () => randomBytes(32).toString('base64') });
  return { key: local.value, generatedFile: local.generated ? local.file : undefined };
}

const cache = new WeakMap<Config, Keyring>();

/**
 * The keyring of a resolved configuration (SECRETS_KEY set or resolved by {@link resolveSecretsKey}).
 * Throws when no key was resolved: code that handles secrets must run inside the server.
 */
export function keyringOf(config: Config): Keyring {
  let keyring = cache.get(config);
  if (!keyring) {
    if (!config.secretsKey) throw new Error('no secrets key: the server resolves SECRETS_KEY at start');
    keyring = new Keyring(config.secretsKey, config.secretsKeyPrevious ? [config.secretsKeyPrevious] : []);
    cache.set(config, keyring);
  }
  return keyring;
}
