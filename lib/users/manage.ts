import type { Db } from 'mongodb';
import { z } from 'zod';
import { DomainError } from '@/lib/domain/errors';
import { recordAudit } from '@/lib/audit/audit';
import type { AuditActor } from '@/lib/audit/actor';
import { userRoleSchema } from '@/lib/auth/roles';
import { LockBusyError, withLock } from '@/lib/locks';
import { countUsers, createUser, DuplicateUserError, getUserById, toUser, updateUser, type NewUser, type User, type UserDoc } from './users';

/**
 * User administration as the API and the CLI invoke it: every change is checked against the last-admin rule and
 * recorded in the audit log. Snapshots in the log hold the public fields only; a new password shows as `changed`.
 */

export const userPatchSchema = z
  .strictObject({
    name: z.string().trim().min(1, { error: 'must not be empty' }).max(100, { error: 'must be at most 100 characters' }).optional(),
    role: userRoleSchema.optional(),
    disabled: z.boolean({ error: 'must be true or false' }).optional(),
    password: z.string().min(12, { error: 'must be at least 12 characters' }).max(1024, { error: 'must be at most 1024 characters' }).optional(),
  })
  .refine((patch) => Object.values(patch).some((v) => v !== undefined), { error: 'must change at least one of name, role, disabled, password' });
export type UserPatch = z.input<typeof userPatchSchema>;

/** The lock every change that may take away an admin is made under. */
const ADMINS_LOCK = 'users.admins';

const snapshot = (user: Pick<UserDoc, 'email' | 'name' | 'role' | 'disabled'>) => ({ email: user.email, name: user.name, role: user.role, disabled: user.disabled });

/** Creates a user and records `user.create`; 409 when the email is taken. */
export async function addUser({ db, actor, input }: { db: Db; actor: AuditActor; input: NewUser }): Promise<User> {
  let user: User;
  try {
    user = await createUser({ db, input });
  } catch (error) {
    if (error instanceof DuplicateUserError) throw new DomainError('conflict', `Cannot create the user: ${error.message}`);
    throw error;
  }
  await recordAudit(db, { actor, action: 'user.create', target: { type: 'user', id: user.id }, after: snapshot(user) });
  return user;
}

/** The audit action for a patch: one verb for the common single steps, `user.update` for the rest. */
function actionOf(patch: UserPatch): string {
  const keys = Object.entries(patch).filter(([, v]) => v !== undefined).map(([k]) => k);
  if (keys.length === 1 && keys[0] === 'disabled') return patch.disabled ? 'user.disable' : 'user.enable';
  if (keys.length === 1 && keys[0] === 'password') return 'user.reset-password';
  if (keys.length === 1 && keys[0] === 'role') return 'user.change-role';
  return 'user.update';
}

/**
 * Changes a user's name, role, disabled flag or password. 404 for an unknown id; 409 when the change would leave
 * no enabled admin (demoting or disabling the last one), so the installation can always be administered.
 */
export async function changeUser({ db, actor, id, patch }: { db: Db; actor: AuditActor; id: string; patch: UserPatch }): Promise<User> {
  const data = userPatchSchema.parse(patch);
  // A change that can take an admin away is made under one lock for all of them: two admins demoting each other
  // at once would otherwise each see the other still there, and leave none.
  if (data.role === undefined && data.disabled === undefined) return applyChange({ db, actor, id, data });
  try {
    return await withLock(db, ADMINS_LOCK, () => applyChange({ db, actor, id, data }));
  } catch (error) {
    if (error instanceof LockBusyError) throw new DomainError('unavailable', 'Another change of roles or access is being made: try again in a moment');
    throw error;
  }
}

async function applyChange({ db, actor, id, data }: { db: Db; actor: AuditActor; id: string; data: z.output<typeof userPatchSchema> }): Promise<User> {
  const before = await getUserById({ db, id });
  if (!before) throw new DomainError('not_found', `No user with id ${id}`);
  const losesAdmin = before.role === 'admin' && !before.disabled && ((data.role !== undefined && data.role !== 'admin') || data.disabled === true);
  if (losesAdmin && (await countUsers({ db, filter: { role: 'admin', disabled: false, _id: { $ne: before._id } } })) === 0) {
    const who = actor.kind === 'user' && actor.id === id ? 'You are' : `${before.email} is`;
    throw new DomainError('conflict', `${who} the last active admin: make another user an admin before demoting or disabling this one`);
  }
  const after = await updateUser({ db, id, changes: data });
  if (!after) throw new DomainError('not_found', `No user with id ${id}`);
  await recordAudit(db, {
    actor,
    action: actionOf(data),
    target: { type: 'user', id },
    before: snapshot(before),
    after: { ...snapshot(after), ...(data.password !== undefined ? { password: 'changed' } : {}) },
  });
  return toUser(after);
}
