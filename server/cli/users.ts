import type { Db } from 'mongodb';
import { DomainError } from '@/lib/domain/errors';
import type { CliActor } from '@/lib/audit/actor';
import { addUser, changeUser } from '@/lib/users/manage';
import { generatePassword } from '@/lib/users/password';
import { ensureUserIndexes, getUserByEmail, listUsers, newUserSchema } from '@/lib/users/users';
import { formatJson, formatUsers, parseOptions } from './format';
import { CliError, type CliIO } from './io';

/** What `users create` accepts on the command line. */
export interface UserCreateOptions {
  email?: string;
  role?: string;
  name?: string;
  password?: string;
  json?: boolean;
}

/**
 * Validates `users create` options with {@link newUserSchema}. Without `--password` a strong password is generated
 * (`generate`), to be printed once. Throws a usage error naming every bad field before anything touches the database.
 */
export function parseUserCreate(options: UserCreateOptions, generate: () => string = generatePassword) {
  const generatedPassword = options.password === undefined ? generate() : undefined;
  const given = { email: options.email, role: options.role, name: options.name, password: options.password ?? generatedPassword };
  return { input: parseOptions(newUserSchema, given), generatedPassword };
}

/** Domain refusals (duplicate email, last admin) become CLI failures with the same message. */
async function orFail<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof DomainError) throw new CliError(`${error.message}.`);
    throw error;
  }
}

export async function createUserCommand(db: Db, io: CliIO, actor: CliActor, parsed: ReturnType<typeof parseUserCreate>, json = false): Promise<void> {
  await ensureUserIndexes(db);
  const user = await orFail(addUser({ db, actor, input: parsed.input }));
  if (json) {
    io.out(formatJson(parsed.generatedPassword ? { ...user, password: parsed.generatedPassword } : user));
    return;
  }
  io.out(`Created ${user.role} ${user.email} (name: ${user.name}, id: ${user.id}).\n`);
  if (parsed.generatedPassword) {
    io.out(`Password: ${parsed.generatedPassword}\nIt is shown only now and stored only as a hash; hand it over safely.\n`);
  }
}

export async function listUsersCommand(db: Db, io: CliIO, json = false): Promise<void> {
  const users = await listUsers({ db });
  io.out(json ? formatJson(users) : formatUsers(users));
}

export async function setUserDisabledCommand(db: Db, io: CliIO, actor: CliActor, email: string, disabled: boolean): Promise<void> {
  const user = await getUserByEmail({ db, email });
  if (!user) throw new CliError(`No user with email ${email}. See: npx syncdeck users list`);
  await orFail(changeUser({ db, actor, id: user._id.toHexString(), patch: { disabled } }));
  io.out(`${email.toLowerCase()} is now ${disabled ? 'disabled: it can no longer sign in' : 'enabled'}.\n`);
}
