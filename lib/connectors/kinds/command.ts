import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { childProcessEnv, isSyncdeckVariable } from '@/lib/env';
import { SyncError, type ConnectorKind, type RunContext } from '../kind';
import { secretNameSchema } from '../secrets';
import { LineSplitter, levelOf, parseProtocolLine, type ProtocolMessage } from './command-protocol';

/**
 * Runs an existing sync program (a Python script, a binary) as a connector. The program and its arguments are
 * passed to the operating system as a list, never through a shell, so nothing in the configuration is interpreted.
 * Its output goes to the run log (secrets redacted); lines of the JSON-lines protocol (command-protocol.ts) report
 * progress, counts, log lines and checkpoints. Exit code 0 is success. Cancel and timeout send SIGTERM to the
 * program's process group, then SIGKILL after `killGraceSeconds`.
 *
 * No program outlives the server: the program runs in a process group of its own together with a small watchdog
 * (see {@link GUARD}) that holds one end of a pipe whose other end only this server process holds. When the server
 * dies, even by SIGKILL, the kernel closes that end, and the watchdog kills the whole group at once: the program,
 * whatever it started, and itself. The watchdog ignores SIGTERM, so a cancel's SIGTERM does not disarm it.
 */

/**
 * The wrapper the program is started through (POSIX sh, arguments passed as "$@", never interpreted): it starts the
 * watchdog in the background (it waits for end-of-file on fd 3, then sends SIGKILL to its own process group), closes
 * fd 3 and replaces itself with the program, which keeps the pid, the exit code and the signals of a direct child.
 * SIGTERM, SIGINT and SIGHUP are ignored while the watchdog is forked, so one arriving then cannot kill it; the
 * program gets the default handling back.
 */
const GUARD = `trap '' TERM INT HUP; (read -r _ <&3; kill -s KILL 0) <&- >/dev/null 2>&1 & trap - TERM INT HUP; exec 3<&-; exec "$@"`;

/**
 * The program's path as the wrapper must exec it: a name is looked up in the PATH the program gets, a relative path is
 * taken from its working directory (without PATH, the system's default directories). Throws the errors the
 * operating system would (ENOENT, EACCES).
 */
async function findProgram(command: string, cwd: string, searchPath: string | undefined): Promise<string> {
  const candidates = command.includes('/') ? [path.resolve(cwd, command)] : (searchPath ?? '/usr/local/bin:/usr/bin:/bin').split(':').map((dir) => path.resolve(cwd, dir || '.', command));
  let denied = false;
  for (const candidate of candidates) {
    const found = await stat(candidate).catch(() => null);
    if (!found?.isFile()) continue;
    if (await access(candidate, constants.X_OK).then(() => true, () => false)) return candidate;
    denied = true;
  }
  throw Object.assign(new Error(denied ? 'permission denied' : 'not found'), { code: denied ? 'EACCES' : 'ENOENT' });
}

const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: 'must be an environment variable name (letters, digits, _)' });
const noNul = (what: string) => z.string().refine((s) => !s.includes('\0'), { error: `${what} must not contain NUL characters` });

export const commandConfigSchema = z.strictObject({
  /** The program: an absolute path, or a name looked up in PATH. */
  command: noNul('the command').pipe(z.string().min(1, { error: 'must not be empty' }).max(4096, { error: 'must be at most 4096 characters' })),
  /** Arguments, each passed as is (no shell, no quoting, no expansion). */
  args: z.array(noNul('an argument').pipe(z.string().max(32_768, { error: 'must be at most 32768 characters' }))).max(1000, { error: 'must have at most 1000 arguments' }).default([]),
  /** Working directory; the server's own when unset. */
  cwd: z.string().min(1, { error: 'must not be empty' }).optional(),
  /** Extra environment variables (values as is). */
  env: z.record(envName, z.string()).default({}),
  /** Environment variables filled from the connector's secrets: variable name → secret name. */
  secretEnv: z.record(envName, secretNameSchema).default({}),
  /** Variables passed on from the server's environment (besides PATH, HOME, locale, TZ, TMPDIR), e.g. HTTPS_PROXY. */
  passEnv: z
    .array(envName.refine((name) => !isSyncdeckVariable(name), { error: "must not be one of Syncdeck's own variables (give values to programs through secrets)" }))
    .default([]),
  /** Read the JSON-lines protocol on stdout (lines like {"syncdeck":"progress",…}); off: every line is log output. */
  protocol: z.boolean().default(true),
  /** Exit codes that mean success. */
  successExitCodes: z.array(z.number().int().min(0).max(255)).min(1, { error: 'must list at least one exit code' }).default([0]),
  /** Seconds between SIGTERM and SIGKILL when the run is cancelled or times out. */
  killGraceSeconds: z.number().int({ error: 'must be a whole number' }).min(1, { error: 'must be at least 1' }).max(300, { error: 'must be at most 300' }).default(3),
});
export type CommandConfig = z.output<typeof commandConfigSchema>;

export const commandSecretsSchema = z.record(secretNameSchema, z.string().min(1, { error: 'must not be empty' }));

/** Plain output lines logged per run before info/debug lines are only counted (warnings and errors always are). */
const LOG_LINE_BUDGET = 5000;
/** Last stderr lines kept for the error message of a failed run. */
const STDERR_TAIL = 5;

interface CommandState {
  /** How the program classified and described its failure ({"syncdeck":"error"}); the last report counts. */
  error?: { kind: SyncError['kind']; message: string };
  /** Checkpoint commits, in order. */
  checkpoints: Promise<void>;
  checkpointError?: unknown;
}

function applyMessage(message: ProtocolMessage, ctx: RunContext<CommandConfig>, state: CommandState) {
  switch (message.syncdeck) {
    case 'progress':
      ctx.progress(message.done, message.total, message.phase);
      break;
    case 'counts':
      for (const field of ['fetched', 'created', 'updated', 'unchanged', 'skipped', 'failed'] as const) {
        const value = message[field];
        if (value !== undefined) ctx.counts[field] = message.add ? ctx.counts[field] + value : value;
      }
      break;
    case 'log':
      ctx.log(message.level, message.message);
      break;
    case 'checkpoint':
      if (message.commit) {
        const value = message.value;
        // Errors are kept, not left unhandled, and reported when the program has ended.
        state.checkpoints = state.checkpoints.then(() => ctx.checkpoint.commit(value)).catch((error: unknown) => {
          state.checkpointError ??= error;
        });
      } else {
        ctx.checkpoint.set(message.value);
      }
      break;
    case 'error':
      state.error = { kind: message.kind, message: message.message };
      ctx.log('error', message.message);
      break;
  }
}

function startError(command: string, error: NodeJS.ErrnoException): SyncError {
  const reason = error.code === 'ENOENT' ? 'not found' : error.code === 'EACCES' ? 'permission denied (is it executable?)' : error.message;
  return new SyncError('config', `cannot start ${command}: ${reason}`);
}

export const commandConnector: ConnectorKind<CommandConfig> = {
  kind: 'command',
  title: 'Command',
  description: 'Runs an existing sync program with arguments, environment and working directory; reads its output.',
  configSchema: commandConfigSchema,
  secretsSchema: commandSecretsSchema,
  requiredSecrets: (config) => Object.entries(config.secretEnv).map(([variable, name]) => ({ name, why: `config.secretEnv.${variable} refers to it` })),
  async run(ctx) {
    const { config, secrets, signal, log, checkpoint } = ctx;
    if (config.cwd) {
      const dir = await stat(config.cwd).catch(() => null);
      if (!dir?.isDirectory()) throw new SyncError('config', `config.cwd: ${config.cwd} is not a directory`);
    }
    const env: Record<string, string> = { PYTHONUNBUFFERED: '1', ...childProcessEnv(config.passEnv), ...config.env };
    for (const [variable, name] of Object.entries(config.secretEnv)) {
      const value = secrets[name];
      if (value === undefined) throw new SyncError('config', `secret "${name}" is not set (config.secretEnv.${variable} refers to it)`);
      env[variable] = value;
    }
    const saved = checkpoint.get();
    Object.assign(env, { SYNCDECK_RUN_ID: ctx.runId, SYNCDECK_CONNECTOR_ID: ctx.connectorId, SYNCDECK_CHECKPOINT: saved === undefined ? '' : JSON.stringify(saved) });

    let program: string;
    try {
      program = await findProgram(config.command, config.cwd ?? process.cwd(), env.PATH);
    } catch (error) {
      throw startError(config.command, error as NodeJS.ErrnoException);
    }
    if (signal.aborted) throw new SyncError('cancelled', 'stopped before the program started');
    const child = spawn('/bin/sh', ['-c', GUARD, 'syncdeck-command', program, ...config.args], {
      cwd: config.cwd,
      env: env as NodeJS.ProcessEnv,
      // fd 3: the watchdog's lifeline; only this process holds the other end.
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
      // Its own process group, so cancel reaches the programs it starts too.
      detached: true,
      shell: false,
      windowsHide: true,
    }) as ChildProcessByStdio<null, Readable, Readable>;
    const lifeline = child.stdio[3] as Writable;
    const state: CommandState = { checkpoints: Promise.resolve() };
    const stderrTail: string[] = [];
    let budget = LOG_LINE_BUDGET;
    let suppressed = 0;
    const output = (level: 'debug' | 'info' | 'warn' | 'error', line: string) => {
      if (level === 'warn' || level === 'error' || budget-- > 0) log(level, line);
      else suppressed++;
    };
    const stdout = new LineSplitter((line, truncated) => {
      const parsed = config.protocol && !truncated ? parseProtocolLine(line) : ({ type: 'text', line } as const);
      if (parsed.type === 'message') applyMessage(parsed.message, ctx, state);
      else if (parsed.type === 'invalid') log('warn', `ignored a protocol line (${parsed.reason}): ${line.slice(0, 300)}`);
      else if (line.trim()) output(levelOf(line, 'info'), truncated ? `${line}… (line cut)` : line);
    });
    const stderr = new LineSplitter((line, truncated) => {
      if (!line.trim()) return;
      stderrTail.push(line.slice(0, 500));
      if (stderrTail.length > STDERR_TAIL) stderrTail.shift();
      output(levelOf(line, 'warn'), truncated ? `${line}… (line cut)` : line);
    });
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => stdout.push(chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => stderr.push(chunk));

    const group = (sig: NodeJS.Signals) => {
      try {
        if (child.pid) process.kill(-child.pid, sig);
      } catch {
        // The group is gone.
      }
    };
    let killTimer: NodeJS.Timeout | undefined;
    const stop = () => {
      log('warn', `stopping ${config.command}: SIGTERM, SIGKILL after ${config.killGraceSeconds} s`);
      group('SIGTERM');
      killTimer = setTimeout(() => {
        log('warn', `${config.command} did not stop within ${config.killGraceSeconds} s: SIGKILL`);
        group('SIGKILL');
      }, config.killGraceSeconds * 1000);
    };
    signal.addEventListener('abort', stop, { once: true });

    const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null } | { error: NodeJS.ErrnoException }>((resolve) => {
      child.once('error', (error) => resolve({ error }));
      child.once('exit', (code, sig) => resolve({ code, signal: sig }));
    });
    signal.removeEventListener('abort', stop);
    clearTimeout(killTimer);
    if ('error' in exit) {
      lifeline.destroy();
      throw startError(config.command, exit.error);
    }
    // Output still in the pipes; a program it left running in the background must not hold the run open.
    await Promise.race([
      Promise.all([new Promise((r) => child.stdout.once('close', r)), new Promise((r) => child.stderr.once('close', r))]),
      new Promise((r) => setTimeout(r, 2000).unref()),
    ]);
    group('SIGKILL');
    lifeline.destroy();
    child.stdout.destroy();
    child.stderr.destroy();
    stdout.end();
    stderr.end();
    if (suppressed) log('info', `${suppressed} more output lines were not logged (over ${LOG_LINE_BUDGET} per run)`);
    await state.checkpoints;
    if (state.checkpointError) throw new SyncError('internal', `could not save a checkpoint: ${(state.checkpointError as Error).message}`);

    if (signal.aborted) throw new SyncError('cancelled', `${config.command} was stopped`);
    if (exit.code !== null && config.successExitCodes.includes(exit.code)) return;
    // The program's own account of its failure is the run's error; how it ended is the detail.
    if (state.error) throw new SyncError(state.error.kind, `${state.error.message} (${exit.code === null ? `killed by ${exit.signal}` : `exit code ${exit.code}`})`);
    const how = exit.code === null ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
    const tail = stderrTail.length ? `: ${stderrTail.join(' | ')}` : '';
    throw new SyncError('upstream', `${config.command} ${how}${tail}`);
  },
};
