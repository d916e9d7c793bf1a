import { ObjectId, type Db, type Filter } from 'mongodb';
import { isDuplicateKey } from '@/lib/write-errors';
import { z } from 'zod';
import { userRoleSchema, type UserRole } from '@/lib/auth/roles';
import { hashPassword, needsRehash, verifyPassword } from './password';
import { collections } from '@/lib/store/collections';

export interface UserDoc {
  _id: ObjectId;
  email: string;
  name: string;
  role: UserRole;
  passwordHash: string;
  disabled: boolean;
  createdAt: Date;
  updatedAt: Date;
  lastLoginAt?: Date;
  /** Sessions signed in before this no longer count: set when the password changes. */
  sessionsValidFrom?: Date;
}

/** A user as the API and UI see it: never the password hash. */
export interface User {
  id: string;
  email: string;
  name: string;
  role: UserRole;
  disabled: boolean;
  createdAt: string;
  lastLoginAt?: string;
}

export const newUserSchema = z.strictObject({
  email: z.email({ error: 'must be an email address' }).transform((e) => e.toLowerCase()),
  name: z.string().trim().min(1, { error: 'must not be empty' }).max(100, { error: 'must be at most 100 characters' }).optional(),
  role: userRoleSchema,
  password: z.string().min(12, { error: 'must be at least 12 characters' }).max(1024, { error: 'must be at most 1024 characters' }),
});
export type NewUser = z.input<typeof newUserSchema>;

export class DuplicateUserError extends Error {
  override name = 'DuplicateUserError';
}

const users = collections.users;

export function toUser(doc: UserDoc): User {
  return {
    id: doc._id.toHexString(),
    email: doc.email,
    name: doc.name,
    role: doc.role,
    disabled: doc.disabled,
    createdAt: doc.createdAt.toISOString(),
    lastLoginAt: doc.lastLoginAt?.toISOString(),
  };
}

export async function ensureUserIndexes(db: Db): Promise<void> {
  await users(db).createIndex({ email: 1 }, { unique: true, name: 'email_unique' });
}

export async function countUsers({ db, filter = {} }: { db: Db; filter?: Filter<UserDoc> }): Promise<number> {
  return users(db).countDocuments(filter);
}

/** Creates a user; throws {@link DuplicateUserError} when the email is taken. */
export async function createUser({ db, input }: { db: Db; input: NewUser }): Promise<User> {
  const data = newUserSchema.parse(input);
  const now = new Date();
  const doc: UserDoc = {
    _id: new ObjectId(),
    email: data.email,
    name: data.name ?? data.email.split('@')[0]!,
    role: data.role,
    passwordHash: await hashPassword(data.password),
    disabled: false,
    createdAt: now,
    updatedAt: now,
  };
  try {
    await users(db).insertOne(doc);
  } catch (error) {
    if (isDuplicateKey(error)) throw new DuplicateUserError(`a user with email ${data.email} already exists`);
    throw error;
  }
  return toUser(doc);
}

export async function listUsers({ db }: { db: Db }): Promise<User[]> {
  return (await users(db).find().sort({ email: 1 }).toArray()).map(toUser);
}

export async function getUserById({ db, id }: { db: Db; id: string }): Promise<UserDoc | null> {
  if (!ObjectId.isValid(id)) return null;
  return users(db).findOne({ _id: new ObjectId(id) });
}

export async function getUserByEmail({ db, email }: { db: Db; email: string }): Promise<UserDoc | null> {
  return users(db).findOne({ email: email.toLowerCase() });
}

/** What an administrator may change about a user; the password arrives in clear text and is stored hashed. */
export interface UserChanges {
  name?: string;
  role?: UserRole;
  disabled?: boolean;
  password?: string;
}

/** Changes a user by id and returns the updated document, or null when there is no such user. */
export async function updateUser({ db, id, changes }: { db: Db; id: string; changes: UserChanges }): Promise<UserDoc | null> {
  if (!ObjectId.isValid(id)) return null;
  const { password, ...rest } = changes;
  const now = new Date();
  const set: Partial<UserDoc> = { ...rest, updatedAt: now };
  // A new password ends the sessions signed in with the old one (a leaked password or a stolen laptop).
  if (password !== undefined) Object.assign(set, { passwordHash: await hashPassword(password), sessionsValidFrom: now });
  const _id = new ObjectId(id);
  const result = await users(db).updateOne({ _id }, { $set: set });
  if (result.matchedCount !== 1) return null;
  return users(db).findOne({ _id });
}

/** Sets a user's disabled flag by email; returns false when no such user exists. */
export async function setUserDisabled({ db, email, disabled }: { db: Db; email: string; disabled: boolean }): Promise<boolean> {
  const result = await users(db).updateOne({ email: email.toLowerCase() }, { $set: { disabled, updatedAt: new Date() } });
  return result.matchedCount === 1;
}

let decoy: Promise<string> | undefined;
const decoyHash = () => (decoy ??= hashPassword('syncdeck-decoy-password'));

/** Returns the active user whose password matches, or null (unknown, disabled and wrong password look alike). */
export async function verifyCredentials({ db, email, password }: { db: Db; email: string; password: string }): Promise<UserDoc | null> {
  const user = await users(db).findOne({ email: email.toLowerCase() });
  // Unknown users cost one hash too, so response times do not tell which emails exist.
  const matches = await verifyPassword(password, user?.passwordHash ?? (await decoyHash()));
  if (!user || user.disabled || !matches) return null;
  // A hash made at an older cost is replaced at today's; the filter keeps a password changed meanwhile.
  if (needsRehash(user.passwordHash)) {
    const passwordHash = await hashPassword(password);
    await users(db).updateOne({ _id: user._id, passwordHash: user.passwordHash }, { $set: { passwordHash } });
  }
  await users(db).updateOne({ _id: user._id }, { $set: { lastLoginAt: new Date() } });
  return user;
}
