import type { Db } from 'mongodb';
import { ensureTokenIndexes } from '@/lib/auth/tokens';
import { connectors, createConnector } from '@/lib/connectors/store';
import type { Config } from '@/lib/env';
import type { Logger } from '@/lib/logger';
import { ensureRunIndexes } from '@/lib/runs/store';
import { generatePassword } from '@/lib/users/password';
import { countUsers, createUser, ensureUserIndexes } from '@/lib/users/users';

export const DEMO_CONNECTOR_ID = 'demo-customers';

export async function ensureIndexes(db: Db): Promise<void> {
  await Promise.all([ensureUserIndexes(db), ensureTokenIndexes(db), ensureRunIndexes(db)]);
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

/** First start: seeds the demo connector, scheduled at the configured interval, unless demo seeding is off. */
export async function ensureDemoConnector({ db, config, logger }: { db: Db; config: Config; logger: Logger }): Promise<void> {
  if (!config.demo.enabled) return;
  if (await connectors(db).findOne({ _id: DEMO_CONNECTOR_ID }, { projection: { _id: 1 } })) return;
  if (await db.collection('settings').findOne({ _id: 'demo-seeded' as never })) return; // deleted on purpose
  await createConnector({
    db,
    input: {
      id: DEMO_CONNECTOR_ID,
      name: 'Demo customers',
      description: 'Built-in demo: pages through generated customer records and fails now and then, like a real upstream.',
      kind: 'demo',
      config: {},
      schedules: [{ id: 'every-minute', type: 'interval', everySeconds: config.demo.everySeconds }],
      policies: { overlap: 'skip', minGapSeconds: 0, timeoutSeconds: 600 },
    },
  });
  await db.collection('settings').updateOne({ _id: 'demo-seeded' as never }, { $set: { at: new Date() } }, { upsert: true });
  logger.info({ connectorId: DEMO_CONNECTOR_ID, everySeconds: config.demo.everySeconds }, 'demo connector seeded');
}
