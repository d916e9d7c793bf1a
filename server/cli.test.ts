import { ObjectId, type Db } from 'mongodb';
import { describe, expect, it } from 'vitest';
import type { AuditEntryDoc } from '@/lib/audit/audit';
import { cliActor } from '@/lib/audit/actor';
import type { ApiToken } from '@/lib/auth/tokens';
import type { User } from '@/lib/users/users';
import { clean, formatDate, formatTable, formatTokens, formatUsers } from './cli/format';
import { CliError, EXIT } from './cli/io';
import { runCli, type CliContext } from './cli/program';
import { parseTokenCreate, parseTokenId } from './cli/tokens';
import { parseUserCreate } from './cli/users';

const user: User = {
  id: '65f000000000000000000001',
  email: 'ana@example.com',
  name: 'Ana',
  role: 'operator',
  disabled: false,
  createdAt: '2025-11-23T11:31:07.123Z',
};

const token: ApiToken = {
  id: '65f000000000000000000002',
  name: 'ops wall',
  role: 'display',
  hint: 'sdk_AbCdEf',
  createdBy: 'cli',
  createdAt: '2025-11-23T11:31:07.123Z',
};

function usageError(run: () => unknown): CliError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).exitCode).toBe(EXIT.usage);
    return error as CliError;
  }
  throw new Error('expected a usage error');
}

/** Runs a command line against fakes; `collections` stands in for the few collection methods a command uses. */
async function cli(args: string[], collections: Record<string, object> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  let opened = 0;
  const db = { collection: (name: string) => collections[name] } as unknown as Db;
  const ctx: CliContext = {
    io: { out: (t) => void out.push(t), err: (t) => void err.push(t) },
    actor: cliActor('ana'),
    withDatabase: (work) => {
      opened += 1;
      return work(db);
    },
  };
  const code = await runCli(['node', 'syncdeck', ...args], ctx);
  return { code, out: out.join(''), err: err.join(''), opened };
}

describe('formatting', () => {
  it('shows dates to the minute in UTC, or a fallback', () => {
    expect(formatDate('2025-11-23T11:31:07.123Z')).toBe('2025-11-23 11:31 UTC');
    expect(formatDate(undefined)).toBe('never');
    expect(formatDate(undefined, 'no')).toBe('no');
  });

  it('neutralises control characters such as terminal escapes', () => {
    expect(clean('evil\u001b[2Jname\n')).toBe('evil?[2Jname?');
  });

  it('aligns table columns under an upper-case header', () => {
    expect(formatTable(['a', 'long header'], [['wide cell', 'x'], ['y', '']])).toBe(
      'A          LONG HEADER\nwide cell  x\ny\n',
    );
  });

  it('lists users with status and last login, never a password hash', () => {
    const withHash = { ...user, passwordHash: 'scrypt$131072$8$1$salt$hash' } as User;
    const table = formatUsers([withHash, { ...user, email: 'bo@example.com', disabled: true, lastLoginAt: '2025-11-24T08:00:00.000Z' }]);
    expect(table.split('\n')[0]).toMatch(/^EMAIL\s+NAME\s+ROLE\s+STATUS\s+CREATED\s+LAST LOGIN$/);
    expect(table).toContain('enabled');
    expect(table).toMatch(/bo@example\.com.*disabled.*2025-11-24 08:00 UTC/);
    expect(table).not.toContain('scrypt');
  });

  it('lists tokens with id, hint and revocation', () => {
    const table = formatTokens([token, { ...token, revokedAt: '2025-11-25T00:00:00.000Z' }]);
    expect(table.split('\n')[0]).toMatch(/^ID\s+NAME\s+ROLE\s+HINT\s+CREATED\s+LAST USED\s+REVOKED$/);
    expect(table).toMatch(/65f000000000000000000002\s+ops wall\s+display\s+sdk_AbCdEf…\s+2025-11-23 11:31 UTC\s+never\s+no/);
    expect(table).toContain('2025-11-25 00:00 UTC');
  });

  it('says how to create the first entry of an empty list', () => {
    expect(formatUsers([])).toContain('npx syncdeck users create');
    expect(formatTokens([])).toContain('npx syncdeck tokens create');
  });
});

describe('users create options', () => {
  it('generates a password when none is given and lower-cases the email', () => {
    const parsed = parseUserCreate({ email: 'Ana@Example.com', role: 'viewer' }, () => 'generated-password-123');
    expect(parsed.generatedPassword).toBe('generated-password-123');
    expect(parsed.input).toEqual({ email: 'ana@example.com', role: 'viewer', password: 'generated-password-123' });
  });

  it('keeps a given password and generates none', () => {
    const parsed = parseUserCreate({ email: 'ana@example.com', role: 'admin', name: ' Ana ', password: 'correct horse battery' }, () => {
      throw new Error('must not generate');
    });
    expect(parsed.generatedPassword).toBeUndefined();
    expect(parsed.input).toMatchObject({ name: 'Ana', password: 'correct horse battery' });
  });

  it('names every bad field and its rule, without echoing the password', () => {
    const error = usageError(() => parseUserCreate({ email: 'nope', role: 'boss', password: 'hunter2' }));
    expect(error.message).toContain('email: must be an email address');
    expect(error.message).toContain('role: must be one of viewer, operator, admin');
    expect(error.message).toContain('password: must be at least 12 characters');
    expect(error.message).not.toContain('hunter2');
  });

  it('says which options are missing', () => {
    const error = usageError(() => parseUserCreate({}));
    expect(error.message).toContain('email: is required');
    expect(error.message).toContain('role: is required');
  });
});

describe('tokens options', () => {
  it('accepts a name and a token role, display included', () => {
    expect(parseTokenCreate({ name: ' ops wall ', role: 'display' })).toEqual({ name: 'ops wall', role: 'display' });
  });

  it('rejects bad names and roles with field and rule', () => {
    const error = usageError(() => parseTokenCreate({ name: 'a/b', role: 'root' }));
    expect(error.message).toContain('name: must be 1-64 letters');
    expect(error.message).toContain('role: must be one of display, viewer, operator, admin');
  });

  it('checks revoke ids before anything else', () => {
    expect(parseTokenId('65F000000000000000000002')).toBe('65f000000000000000000002');
    expect(usageError(() => parseTokenId('xyz')).message).toContain('id: must be a 24-character hexadecimal token id');
  });
});

describe('command line', () => {
  it('prints help on stdout and exits 0', async () => {
    const result = await cli(['--help']);
    expect(result.code).toBe(EXIT.ok);
    expect(result.out).toContain('Usage: syncdeck');
    expect(result.out).toContain('users');
    expect(result.out).toContain('tokens');
  });

  it('exits 2 on bad input without opening the database', async () => {
    for (const args of [
      ['users', 'create', '--email', 'nope', '--role', 'operator'],
      ['users', 'create', '--email', 'a@b.co', '--role', 'admin', '--bogus'],
      ['users', 'frobnicate'],
      ['tokens', 'create', '--name', 'wall'],
      ['tokens', 'revoke', 'not-an-id'],
      ['users', 'disable'],
    ]) {
      const result = await cli(args);
      expect(result.code, args.join(' ')).toBe(EXIT.usage);
      expect(result.opened, args.join(' ')).toBe(0);
      expect(result.out, args.join(' ')).toBe('');
      expect(result.err, args.join(' ')).not.toBe('');
    }
  });

  it('exits 1 with a message when the user to disable does not exist', async () => {
    const result = await cli(['users', 'disable', 'ghost@example.com'], {
      users: { findOne: async () => null, updateOne: async () => Promise.reject(new Error('must not update')) },
    });
    expect(result).toMatchObject({ code: EXIT.failed, out: '' });
    expect(result.err).toContain('No user with email ghost@example.com');
  });

  it('exits 1 on a duplicate email', async () => {
    const result = await cli(['users', 'create', '--email', 'ana@example.com', '--role', 'viewer', '--password', 'long enough password'], {
      users: { createIndex: async () => 'email_unique', insertOne: async () => Promise.reject(Object.assign(new Error('E11000'), { code: 11000 })) },
    });
    expect(result.code).toBe(EXIT.failed);
    expect(result.err).toContain('a user with email ana@example.com already exists');
  });

  it('prints a new token once with a warning, never its hash, and audits it as the OS user', async () => {
    const inserted: Array<{ hash: string; createdBy: string }> = [];
    const audited: AuditEntryDoc[] = [];
    const result = await cli(['tokens', 'create', '--name', 'ops wall', '--role', 'display'], {
      apiTokens: { createIndex: async () => 'hash_unique', insertOne: async (doc: { hash: string; createdBy: string }) => void inserted.push(doc) },
      audit: { createIndex: async () => "", insertOne: async (doc: AuditEntryDoc) => void audited.push(doc) },
    });
    expect(result.code).toBe(EXIT.ok);
    expect(result.out).toMatch(/^ {2}sdk_[\w-]{43}$/m);
    expect(result.out).toContain('cannot be shown again');
    expect(result.out).not.toContain(inserted[0]!.hash);
    expect(inserted[0]!.createdBy).toBe('cli:ana');
    expect(audited).toHaveLength(1);
    expect(audited[0]).toMatchObject({ action: 'token.create', actor: { kind: 'cli', label: 'cli:ana', role: 'admin' }, target: { type: 'token' } });
    const logged = JSON.stringify(audited[0]);
    expect(logged).toContain('ops wall');
    expect(logged).not.toContain(inserted[0]!.hash);
    expect(logged).not.toMatch(/sdk_[\w-]{43}/);
  });

  it('refuses to disable the last enabled admin and changes nothing', async () => {
    const admin = { _id: new ObjectId(), email: 'root@example.com', name: 'Root', role: 'admin', disabled: false, createdAt: new Date(), updatedAt: new Date() };
    const result = await cli(['users', 'disable', 'root@example.com'], {
      users: { findOne: async () => admin, countDocuments: async () => 0, updateOne: async () => Promise.reject(new Error('must not update')) },
      audit: { createIndex: async () => "", insertOne: async () => Promise.reject(new Error('must not audit')) },
      // The change is made under the admins' lock (lib/locks.ts), taken and let go.
      locks: { insertOne: async () => ({ acknowledged: true }), deleteOne: async () => ({ deletedCount: 1 }) },
    });
    expect(result.code).toBe(EXIT.failed);
    expect(result.err).toContain('root@example.com is the last active admin');
  });
});
