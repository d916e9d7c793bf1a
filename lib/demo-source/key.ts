import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Db } from 'mongodb';
import { demoKeyHash } from './customers';
import { collections } from '@/lib/store/collections';

/**
 * The demo source's API key. Only its SHA-256 is stored (in `settings`); the key itself exists only as the demo
 * connector's encrypted `apiKey` secret. It opens the demo source and nothing else: no other route accepts it.
 */
/** The header the demo source reads its API key from. */
export const DEMO_KEY_HEADER = 'X-API-Key';

interface DemoSourceSettings {
  _id: 'demo-source';
  keyHash: string;
  createdAt: Date;
}

const settings = (db: Db) => collections.settings<DemoSourceSettings>(db);

/** Makes a new demo key (replacing any earlier one) and returns it, once. */
export async function createDemoSourceKey({ db }: { db: Db }): Promise<string> {
  const key = `demo_${randomBytes(24).toString('base64url')}`;
  await settings(db).updateOne({ _id: 'demo-source' }, { $set: { keyHash: demoKeyHash(key), createdAt: new Date() } }, { upsert: true });
  return key;
}

/** True when `presented` is the current demo key (compared in constant time). */
export async function isDemoSourceKey({ db, presented }: { db: Db; presented: string | null }): Promise<boolean> {
  if (!presented) return false;
  const stored = await settings(db).findOne({ _id: 'demo-source' });
  if (!stored?.keyHash) return false;
  const expected = Buffer.from(stored.keyHash, 'hex');
  const given = Buffer.from(demoKeyHash(presented), 'hex');
  return expected.length === given.length && timingSafeEqual(expected, given);
}
