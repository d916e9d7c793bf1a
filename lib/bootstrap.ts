import type { Db } from 'mongodb';
import { ensureTokenIndexes } from '@/lib/auth/tokens';
import { moveFiguresOffConnectors } from '@/lib/connectors/figures';
import { connectors, createConnector, noteConnectorsChanged } from '@/lib/connectors/store';
import type { Config } from '@/lib/env';
import { createDemoSourceKey, DEMO_KEY_HEADER } from '@/lib/demo-source/key';
import type { Logger } from '@/lib/logger';
import type { Keyring } from '@/lib/secrets/keyring';
import { ensureRunIndexes } from '@/lib/runs/store';
import { generatePassword } from '@/lib/users/password';
import { countUsers, createUser, ensureUserIndexes } from '@/lib/users/users';
import { collections } from '@/lib/store/collections';

export const DEMO_CONNECTOR_ID = 'demo-customers';

export async function ensureIndexes(db: Db): Promise<void> {
  await Promise.all([ensureUserIndexes(db), ensureTokenIndexes(db), ensureRunIndexes(db)]);
}

/** Start-up: run figures still kept on connector documents move to their own collection (once; repeats do nothing). */
export async function ensureFiguresMoved({ db, logger }: { db: Db; logger: Logger }): Promise<void> {
  const moved = await moveFiguresOffConnectors({ db });
  if (!moved) return;
  await noteConnectorsChanged(db);
  logger.info({ connectors: moved }, 'run figures moved from the connectors to connectorStats');
}

/**
 * First start: creates the first admin when there is no enabled administrator (a viewer created earlier with
 * the CLI does not lock the installation out). With ADMIN_EMAIL/ADMIN_PASSWORD unset, the password is generated
 * and returned so the server can print it once; it is stored only as a hash.
 */
export async function ensureFirstAdmin({ db, config, logger }: { db: Db; config: Config; logger: Logger }): Promise<{ email: string; generatedPassword?: string } | null> {
  if ((await countUsers({ db, filter: { role: 'admin', disabled: false } })) > 0) return null;
  const email = config.admin?.email ?? 'admin@syncdeck.local';
  if ((await countUsers({ db, filter: { email } })) > 0) {
    logger.warn({ email }, 'there is no enabled administrator and this email is taken; create one with: npx syncdeck users create --role admin');
    return null;
  }
  const generated = config.admin?.password ? undefined : generatePassword();
  await createUser({ db, input: { email, name: 'Administrator', role: 'admin', password: config.admin?.password ?? generated! } });
  return { email, generatedPassword: generated };
}

/** Path of the built-in demo source on Syncdeck's own web server. */
export const DEMO_SOURCE_PATH = '/api/demo-source/customers';

/** The seeded demo connector's config: an ordinary http-json connector, pointed at the demo source. */
export function demoConnectorConfig(url: string) {
  return {
    url,
    auth: { type: 'apiKey', in: 'header', name: DEMO_KEY_HEADER },
    // The demo source's misbehaviour, visible and editable like any other setting (README: the demo source).
    query: { fail_rate: '0.03', throttle_rate: '0.03', slow_rate: '0.05', outage_rate: '0.08' },
    pagination: { type: 'page', param: 'page', start: 1, sizeParam: 'per_page', size: 50 },
    itemsPath: 'data',
    idField: 'id',
    totalPath: 'total',
    incremental: { param: 'updated_since', field: 'updatedAt' },
    destination: { collection: 'demo_source_customers' },
    timeoutSeconds: 15,
    retries: 3,
  };
}

/** The URL the server reaches itself at: its bound address, with a wildcard bind replaced by loopback. */
export function loopbackUrl(address: { address: string; family: string; port: number }): string {
  const host = address.address === '0.0.0.0' ? '127.0.0.1' : address.address === '::' ? '::1' : address.address;
  return `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
}

const isLoopbackDemoUrl = (value: unknown): boolean => {
  if (typeof value !== 'string') return false;
  try {
    const url = new URL(value);
    return url.pathname === DEMO_SOURCE_PATH && (/^127\./.test(url.hostname) || url.hostname === '[::1]' || url.hostname === 'localhost');
  } catch {
    return false;
  }
};

/**
 * First start: seeds the demo connector — an http-json connector pulling from the server's own demo source through
 * `selfUrl` (its loopback address), with a fresh demo key as its encrypted secret, on an interval of
 * SYNCDECK_DEMO_EVERY_S. Later starts only re-point it when the server now listens elsewhere (another PORT or
 * HOST), as long as it still points at a loopback demo source. Nothing happens when SYNCDECK_DEMO is off; a demo
 * connector deleted on purpose is not seeded again.
 */
export async function ensureDemoConnector({ db, config, logger, keyring, selfUrl }: { db: Db; config: Config; logger: Logger; keyring: Keyring; selfUrl: string }): Promise<void> {
  if (!config.demo.enabled) return;
  const url = `${selfUrl}${DEMO_SOURCE_PATH}`;
  const existing = await connectors(db).findOne({ _id: DEMO_CONNECTOR_ID }, { projection: { kind: 1, config: 1 } });
  if (existing) {
    const current = (existing.config as { url?: unknown } | undefined)?.url;
    if (existing.kind === 'http-json' && current !== url && isLoopbackDemoUrl(current)) {
      await connectors(db).updateOne({ _id: DEMO_CONNECTOR_ID }, { $set: { 'config.url': url, updatedAt: new Date() } });
      await noteConnectorsChanged(db);
      logger.info({ connectorId: DEMO_CONNECTOR_ID, url }, 'demo connector re-pointed at this server');
    }
    return;
  }
  if (await collections.settings(db).findOne({ _id: 'demo-seeded' as never })) return; // deleted on purpose
  const key = await createDemoSourceKey({ db });
  await createConnector({
    db,
    keyring,
    intervalBounds: config.intervalBounds,
    input: {
      id: DEMO_CONNECTOR_ID,
      name: 'Demo customers',
      description:
        "Built-in demo: an http-json connector pulling generated customers from Syncdeck's own demo source (" +
        `${DEMO_SOURCE_PATH}) — paged, incremental, and now and then a 503, a 429 or a slow page, like a real upstream.`,
      kind: 'http-json',
      config: demoConnectorConfig(url),
      secrets: { apiKey: key },
      schedules: [{ id: 'every-minute', type: 'interval', everySeconds: config.demo.everySeconds }],
      policies: { overlap: 'skip', minGapSeconds: 0, timeoutSeconds: 300 },
    },
  });
  await collections.settings(db).updateOne({ _id: 'demo-seeded' as never }, { $set: { at: new Date() } }, { upsert: true });
  logger.info({ connectorId: DEMO_CONNECTOR_ID, everySeconds: config.demo.everySeconds, url }, 'demo connector seeded');
}
