import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import type { Logger } from '@/lib/logger';

const run = promisify(execFile);

/** Sources of the embedded database helper, relative to the project root. */
export const HELPER_DIR = path.resolve(import.meta.dirname, '..', 'tools', 'embedded-db');
const BIN_DIR = path.join(HELPER_DIR, 'bin');
const BINARY = path.join(BIN_DIR, 'embedded-db');
const STAMP = path.join(BIN_DIR, 'embedded-db.sources');

/** Hash of everything the helper binary is built from, so it is rebuilt only when one of them changes. */
async function sourceFingerprint(goVersion: string): Promise<string> {
  const hash = createHash('sha256').update(goVersion);
  const files = (await readdir(HELPER_DIR)).filter((f) => f.endsWith('.go') || f === 'go.mod' || f === 'go.sum').sort();
  for (const file of files) hash.update(file).update(await readFile(path.join(HELPER_DIR, file)));
  return hash.digest('hex');
}

export class EmbeddedDbUnavailable extends Error {
  override name = 'EmbeddedDbUnavailable';
}

/**
 * Returns the path of the embedded database helper, building it with `go build` when it is missing
 * or its sources changed. Go fetches FerretDB through the module proxy on the first build only.
 */
export async function ensureEmbeddedDbBinary(logger: Logger): Promise<string> {
  let goVersion: string;
  try {
    goVersion = (await run('go', ['version'])).stdout.trim();
  } catch {
    if (existsSync(BINARY)) return BINARY;
    throw new EmbeddedDbUnavailable('the Go toolchain (go) is not on PATH, so the embedded database helper cannot be built');
  }
  const fingerprint = await sourceFingerprint(goVersion);
  if (existsSync(BINARY) && existsSync(STAMP) && (await readFile(STAMP, 'utf8')) === fingerprint) return BINARY;

  logger.info({ dir: HELPER_DIR }, 'building the embedded database helper (first start only; takes about a minute)');
  const started = Date.now();
  await mkdir(BIN_DIR, { recursive: true });
  const partial = `${BINARY}.${process.pid}.partial`;
  try {
    await run('go', ['build', '-trimpath', '-o', partial, '.'], {
      cwd: HELPER_DIR,
      env: { ...process.env, CGO_ENABLED: '0' },
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new EmbeddedDbUnavailable(`go build of the embedded database helper failed${stderr ? `:\n${stderr}` : ''}`);
  }
  await rename(partial, BINARY);
  await writeFile(STAMP, fingerprint);
  logger.info({ ms: Date.now() - started }, 'embedded database helper built');
  return BINARY;
}

/** What a supervised local database is doing; `failed` means it could not be brought back and will not be. */
export type LocalDatabaseState = 'running' | 'restarting' | 'failed';

export interface LocalDatabase {
  uri: string;
  kind: 'ferretdb' | 'mongod';
  stop(): Promise<void>;
  /** Listens to the supervisor's state changes (embedded database only). */
  onState?(listener: (state: LocalDatabaseState, error?: Error) => void): void;
}

/** Ends a child we started: SIGTERM, then SIGKILL after a grace period. Resolves when it has exited. */
export function stopChild(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * Restart policy of the embedded database: after an unexpected exit it is started again at once, then after these
 * pauses; when none of the attempts brings it back, or it died {@link MAX_CRASHES} times within
 * {@link CRASH_WINDOW_MS}, it is given up and the state becomes `failed` (the server then exits non-zero).
 */
export const RESTART_DELAYS_MS = [0, 500, 1000, 2000, 4000, 8000] as const;
export const MAX_CRASHES = 5;
export const CRASH_WINDOW_MS = 5 * 60_000;
/** How long one start of the helper may take before it counts as failed. */
const START_TIMEOUT_MS = 30_000;
/** Longest Unix socket path Linux accepts (sun_path is 108 bytes with its terminating NUL). */
const MAX_SOCKET_PATH = 107;

interface Helper {
  child: ChildProcess;
  uri: string;
  /** Its last stderr lines, for the message when it dies. */
  stderr: string[];
}

/** Starts one helper process and waits for its ready line. */
async function launchHelper({ binary, dataDir, socket, logger }: { binary: string; dataDir: string; socket: string; logger: Logger }): Promise<Helper> {
  // Its own process group: a terminal's Ctrl-C (SIGINT to the foreground group) must not stop the database before
  // Syncdeck has drained its runs. It still ends with Syncdeck: it exits when its stdin pipe closes.
  const child = spawn(binary, ['-data', dataDir, '-socket', socket], { stdio: ['pipe', 'pipe', 'pipe'], detached: true });
  const stderr: string[] = [];
  createInterface({ input: child.stderr! }).on('line', (line) => {
    stderr.push(line);
    if (stderr.length > 50) stderr.shift();
    logger.debug({ source: 'embedded-db' }, line);
  });
  try {
    const uri = await new Promise<string>((resolve, reject) => {
      const lines = createInterface({ input: child.stdout! });
      const fail = (reason: string) => reject(new EmbeddedDbUnavailable(`${reason}${stderr.length ? `:\n${stderr.join('\n')}` : ''}`));
      const timer = setTimeout(() => fail(`the embedded database did not start within ${START_TIMEOUT_MS / 1000} s`), START_TIMEOUT_MS);
      child.once('error', (error) => fail(`the embedded database helper could not start (${error.message})`));
      // Its stderr may still be arriving; the reason it printed is the useful part.
      child.once('exit', (code, signal) => setTimeout(() => fail(`the embedded database helper exited early (code ${code ?? signal})`), 50));
      lines.once('line', (line) => {
        clearTimeout(timer);
        try {
          resolve((JSON.parse(line) as { uri: string }).uri);
        } catch {
          fail(`the embedded database helper printed an unexpected line: ${line}`);
        }
      });
    });
    child.removeAllListeners('exit');
    child.removeAllListeners('error');
    child.on('error', (err) => logger.warn({ err }, 'embedded database helper: process error'));
    return { child, uri, stderr };
  } catch (error) {
    child.stdin?.end();
    await stopChild(child, 1000);
    throw error;
  }
}

/**
 * The socket goes next to the data (`<dataDir>/ferretdb/embedded-db.sock`, in a directory only this user can
 * enter). A data directory whose path is too long for a socket gets a private directory under the system's temp
 * directory instead, removed again on stop.
 */
async function socketPath(dataDir: string): Promise<{ socket: string; cleanup(): Promise<void> }> {
  const socket = path.join(dataDir, 'embedded-db.sock');
  if (Buffer.byteLength(socket) <= MAX_SOCKET_PATH) return { socket, cleanup: async () => {} };
  const dir = await mkdtemp(path.join(os.tmpdir(), 'syncdeck-db-'));
  return { socket: path.join(dir, 'embedded-db.sock'), cleanup: () => rm(dir, { recursive: true, force: true }) };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Starts the embedded FerretDB helper with its data under `dataDir` and supervises it. It listens only on a Unix
 * socket that only this user can open (no TCP port, so no other local user can read the users or token hashes).
 * When it exits unexpectedly it is started again on the same socket and data, with backoff (see
 * {@link RESTART_DELAYS_MS}); clients reconnect by themselves. The helper exits by itself when this process dies,
 * because it watches its stdin pipe.
 */
export async function startEmbeddedDb(options: { dataDir: string; logger: Logger }): Promise<LocalDatabase> {
  const { logger } = options;
  const binary = await ensureEmbeddedDbBinary(logger);
  const dataDir = path.resolve(options.dataDir, 'ferretdb');
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  await chmod(dataDir, 0o700);
  const { socket, cleanup } = await socketPath(dataDir);
  const launch = () => launchHelper({ binary, dataDir, socket, logger });

  let helper: Helper;
  try {
    helper = await launch();
  } catch (error) {
    await cleanup();
    throw error;
  }
  const uri = helper.uri;
  const listeners: Array<(state: LocalDatabaseState, error?: Error) => void> = [];
  const emit = (state: LocalDatabaseState, error?: Error) => {
    for (const listener of listeners) listener(state, error);
  };
  let stopping = false;
  let recovering: Promise<void> | undefined;
  const crashes: number[] = [];

  const recover = async (lost: Helper, code: number | null, signal: NodeJS.Signals | null) => {
    const now = Date.now();
    while (crashes.length && now - crashes[0]! > CRASH_WINDOW_MS) crashes.shift();
    crashes.push(now);
    logger.error({ code, signal, stderr: lost.stderr.slice(-10) }, 'embedded database exited unexpectedly; restarting it');
    emit('restarting');
    if (crashes.length >= MAX_CRASHES) {
      const error = new EmbeddedDbUnavailable(`the embedded database exited ${crashes.length} times within ${CRASH_WINDOW_MS / 60_000} minutes`);
      logger.fatal({ err: error }, 'embedded database keeps failing; giving up');
      emit('failed', error);
      return;
    }
    let lastError: Error | undefined;
    for (const [attempt, delay] of RESTART_DELAYS_MS.entries()) {
      await sleep(delay);
      if (stopping) return;
      try {
        const next = await launch();
        if (stopping) {
          next.child.stdin?.end();
          await stopChild(next.child);
          return;
        }
        helper = next;
        watch(next);
        logger.info({ attempts: attempt + 1 }, 'embedded database restarted');
        emit('running');
        return;
      } catch (error) {
        lastError = error as Error;
        logger.debug({ err: lastError, attempt: attempt + 1 }, 'embedded database restart attempt failed');
      }
    }
    const error = new EmbeddedDbUnavailable(`the embedded database could not be restarted after ${RESTART_DELAYS_MS.length} attempts: ${lastError?.message}`);
    logger.fatal({ err: error }, 'embedded database could not be restarted; giving up');
    emit('failed', error);
  };

  const watch = (current: Helper) => {
    current.child.once('exit', (code, signal) => {
      if (stopping || current !== helper) return;
      recovering = recover(current, code, signal).finally(() => {
        recovering = undefined;
      });
    });
  };
  watch(helper);

  logger.info({ uri, dataDir }, 'embedded database (FerretDB on SQLite) started');
  return {
    uri,
    kind: 'ferretdb',
    onState(listener) {
      listeners.push(listener);
    },
    async stop() {
      stopping = true;
      // The helper ignores SIGINT and SIGTERM (they may reach its whole process group); closing its stdin stops it.
      helper.child.stdin?.end();
      await stopChild(helper.child, 12_000);
      await recovering;
      await cleanup();
    },
  };
}
