import { Command, CommanderError } from 'commander';
import type { Db } from 'mongodb';
import type { CliActor } from '@/lib/audit/actor';
import { tokenRoles, userRoles } from '@/lib/auth/roles';
import { CliError, EXIT, type CliIO } from './io';
import { createTokenCommand, listTokensCommand, parseTokenCreate, parseTokenId, revokeTokenCommand } from './tokens';
import { createUserCommand, listUsersCommand, parseUserCreate, setUserDisabledCommand, type UserCreateOptions } from './users';

/** What the commands need from the outside world; tests pass fakes. */
export interface CliContext {
  io: CliIO;
  /** Who the audit log names for changes made by this command line (`cli:<os user>`). */
  actor: CliActor;
  /** Opens the database, runs `work` on it and closes it again, whatever happens. */
  withDatabase<T>(work: (db: Db) => Promise<T>): Promise<T>;
  /** Called with the global `--verbose` flag before a command runs. */
  setVerbose?(verbose: boolean): void;
}

const ENVIRONMENT_HELP = `
Database:
  MONGODB_URI, MONGODB_DB  use this MongoDB (as the server does in production)
  SYNCDECK_DATA_DIR        otherwise the local database under this directory (default: ./data): the one a
                           running Syncdeck server started, or one started just for this command

Exit codes: 0 success, 1 failure (e.g. no such user), 2 bad input (nothing was changed)`;

/** Builds the `syncdeck` command tree. Validation happens before the database is opened. */
export function buildProgram(ctx: CliContext): Command {
  const program = new Command('syncdeck')
    .description('Administer a Syncdeck installation: dashboard users and API tokens.')
    .option('--verbose', 'also print what the database start-up does (on stderr)')
    .exitOverride()
    .configureOutput({ writeOut: ctx.io.out, writeErr: ctx.io.err })
    .showHelpAfterError('(add --help for usage)')
    .addHelpText('after', ENVIRONMENT_HELP)
    .hook('preAction', () => ctx.setVerbose?.(program.opts<{ verbose?: boolean }>().verbose === true));

  const users = program.command('users').description('manage the people who sign in to the dashboard');
  users
    .command('create')
    .description('create a user')
    .option('--email <email>', 'sign-in email (required)')
    .option(`--role <${userRoles.join('|')}>`, 'what the user may do (required)')
    .option('--name <name>', 'display name (default: the part of the email before @)')
    .option('--password <password>', 'at least 12 characters; shows in shell history, so prefer omitting it: a strong one is then generated and printed once')
    .option('--json', 'print the new user as JSON')
    .action(async (options: UserCreateOptions) => {
      const parsed = parseUserCreate(options);
      await ctx.withDatabase((db) => createUserCommand(db, ctx.io, ctx.actor, parsed, options.json));
    });
  users
    .command('list')
    .description('list users with their role, status and last sign-in')
    .option('--json', 'print JSON instead of a table')
    .action(async (options: { json?: boolean }) => ctx.withDatabase((db) => listUsersCommand(db, ctx.io, options.json)));
  users
    .command('disable')
    .description('stop a user from signing in (their data stays)')
    .argument('<email>', 'the user’s email')
    .action(async (email: string) => ctx.withDatabase((db) => setUserDisabledCommand(db, ctx.io, ctx.actor, email, true)));
  users
    .command('enable')
    .description('let a disabled user sign in again')
    .argument('<email>', 'the user’s email')
    .action(async (email: string) => ctx.withDatabase((db) => setUserDisabledCommand(db, ctx.io, ctx.actor, email, false)));

  const tokens = program.command('tokens').description('manage API tokens for scripts and the wall screen');
  tokens
    .command('create')
    .description('create an API token; it is printed once')
    .option('--name <name>', 'what the token is for, e.g. "ops wall" (required)')
    .option(`--role <${tokenRoles.join('|')}>`, 'what the token may do; display is read-only for the wall screen (required)')
    .option('--json', 'print the token and its record as JSON')
    .action(async (options: { name?: string; role?: string; json?: boolean }) => {
      const input = parseTokenCreate(options);
      await ctx.withDatabase((db) => createTokenCommand(db, ctx.io, ctx.actor, input, options.json));
    });
  tokens
    .command('list')
    .description('list tokens (never the tokens themselves)')
    .option('--json', 'print JSON instead of a table')
    .action(async (options: { json?: boolean }) => ctx.withDatabase((db) => listTokensCommand(db, ctx.io, options.json)));
  tokens
    .command('revoke')
    .description('revoke a token at once')
    .argument('<id>', 'the token id from `tokens list`')
    .action(async (id: string) => {
      const tokenId = parseTokenId(id);
      await ctx.withDatabase((db) => revokeTokenCommand(db, ctx.io, ctx.actor, tokenId));
    });

  return program;
}

/** Runs one command line (`argv` as in `process.argv`) and returns the exit code; errors go to stderr. */
export async function runCli(argv: readonly string[], ctx: CliContext): Promise<number> {
  try {
    await buildProgram(ctx).parseAsync(argv);
    return EXIT.ok;
  } catch (error) {
    // Commander already printed its message (or the help); --help itself is a success.
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    if (error instanceof CliError) {
      ctx.io.err(`${error.message}\n`);
      return error.exitCode;
    }
    ctx.io.err(`syncdeck: unexpected error: ${(error as Error).stack ?? String(error)}\n`);
    return EXIT.failed;
  }
}
