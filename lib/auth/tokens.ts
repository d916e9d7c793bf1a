import { createHash, randomBytes } from 'node:crypto';
import { ObjectId, type Db } from 'mongodb';
import { z } from 'zod';
import { tokenRoleSchema, type Role } from './roles';
import { collections } from '@/lib/store/collections';

/** Every API token starts with this, so leaked tokens are easy to spot in logs and secret scanners. */
export const TOKEN_PREFIX = 'sdk_';

export interface TokenDoc {
  _id: ObjectId;
  name: string;
  role: Role;
  /** SHA-256 of the token; the token itself is shown once and never stored. */
  hash: string;
  /** First characters of the token, to tell tokens apart in lists. */
  hint: string;
  createdBy: string;
  createdAt: Date;
  lastUsedAt?: Date;
  revokedAt?: Date;
  revokedBy?: string;
}

export interface ApiToken {
  id: string;
  name: string;
  role: Role;
  hint: string;
  createdBy: string;
  createdAt: string;
  lastUsedAt?: string;
  revokedAt?: string;
  revokedBy?: string;
}

export const newTokenSchema = z.strictObject({
  name: z
    .string()
    .trim()
    .regex(/^[\w .:@-]{1,64}$/, { error: 'must be 1-64 letters, digits, spaces or . : @ _ -' }),
  role: tokenRoleSchema,
});
export type NewToken = z.input<typeof newTokenSchema>;

const tokens = collections.apiTokens;
const digest = (token: string) => createHash('sha256').update(token).digest('hex');

export function toApiToken(doc: TokenDoc): ApiToken {
  return {
    id: doc._id.toHexString(),
    name: doc.name,
    role: doc.role,
    hint: doc.hint,
    createdBy: doc.createdBy,
    createdAt: doc.createdAt.toISOString(),
    lastUsedAt: doc.lastUsedAt?.toISOString(),
    revokedAt: doc.revokedAt?.toISOString(),
    revokedBy: doc.revokedBy,
  };
}

export async function ensureTokenIndexes(db: Db): Promise<void> {
  await tokens(db).createIndex({ hash: 1 }, { unique: true, name: 'hash_unique' });
}

/** Creates a token and returns it in clear text exactly once, beside its stored description. */
export async function createToken({ db, input, createdBy }: { db: Db; input: NewToken; createdBy: string }): Promise<{ token: string; record: ApiToken }> {
  const data = newTokenSchema.parse(input);
  const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
  const doc: TokenDoc = {
    _id: new ObjectId(),
    name: data.name,
    role: data.role,
    hash: digest(token),
    hint: token.slice(0, TOKEN_PREFIX.length + 6),
    createdBy,
    createdAt: new Date(),
  };
  await tokens(db).insertOne(doc);
  return { token, record: toApiToken(doc) };
}

export async function listTokens({ db }: { db: Db }): Promise<ApiToken[]> {
  return (await tokens(db).find().sort({ createdAt: -1 }).toArray()).map(toApiToken);
}

export async function getToken({ db, id }: { db: Db; id: string }): Promise<ApiToken | null> {
  if (!ObjectId.isValid(id)) return null;
  const doc = await tokens(db).findOne({ _id: new ObjectId(id) });
  return doc ? toApiToken(doc) : null;
}

/** Revokes a token by id; returns false when it does not exist or was already revoked. */
export async function revokeToken({ db, id, revokedBy }: { db: Db; id: string; revokedBy: string }): Promise<boolean> {
  if (!ObjectId.isValid(id)) return false;
  const result = await tokens(db).updateOne(
    { _id: new ObjectId(id), revokedAt: { $exists: false } },
    { $set: { revokedAt: new Date(), revokedBy } },
  );
  return result.modifiedCount === 1;
}

/** Finds the live token matching a presented bearer value, or null. Records when it was last used. */
export async function findActiveToken({ db, token }: { db: Db; token: string }): Promise<TokenDoc | null> {
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return null;
  return touchActive(db, await tokens(db).findOne({ hash: digest(token) }));
}

/** Finds a live token by id (the wall's display cookie names its token this way), or null. Records its use. */
export async function findActiveTokenById({ db, id }: { db: Db; id: string }): Promise<TokenDoc | null> {
  if (!ObjectId.isValid(id)) return null;
  return touchActive(db, await tokens(db).findOne({ _id: new ObjectId(id) }));
}

/** Of the given token ids, those revoked or gone: live sockets authenticated by them are cut off. */
export async function inactiveTokenIds({ db, ids }: { db: Db; ids: string[] }): Promise<string[]> {
  const valid = ids.filter((id) => ObjectId.isValid(id));
  if (!valid.length) return [];
  const live = await tokens(db)
    .find({ _id: { $in: valid.map((id) => new ObjectId(id)) }, revokedAt: { $exists: false } }, { projection: { _id: 1 } })
    .toArray();
  const alive = new Set(live.map((t) => t._id.toHexString()));
  return ids.filter((id) => !alive.has(id));
}

async function touchActive(db: Db, doc: TokenDoc | null): Promise<TokenDoc | null> {
  if (!doc || doc.revokedAt) return null;
  const now = new Date();
  // One write per minute at most, so busy scripts do not turn every read into a write.
  if (!doc.lastUsedAt || now.getTime() - doc.lastUsedAt.getTime() > 60_000) {
    await tokens(db).updateOne({ _id: doc._id }, { $set: { lastUsedAt: now } });
  }
  return doc;
}
