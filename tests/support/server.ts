import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { descendantsOf, isAlive, listeningPorts, signal, type ProcessId } from './processes';

/** The project root; servers run from here. */
export const ROOT = path.resolve(import.meta.dirname, '..', '..');

/** The first administrator every test server creates (ADMIN_EMAIL / ADMIN_PASSWORD). */
export const ADMIN = { email: 'admin@syncdeck.test', password: 'test-admin-password-0001' } as const;

const READY_TIMEOUT_MS = 120_000;
const STOP_GRACE_MS = 20_000;
/** How long the processes a server started may take to follow it after it exited. */
const CHILD_GRACE_MS = 10_000;
const KEEP_LINES = 400;

export interface StartOptions {
  /** Extra or overriding environment variables for the server. */
  env?: Record<string, string>;
  /** Reuse a data directory (e.g. to restart on the same database); a fresh temp dir otherwise. */
  dataDir?: string;
  /**
   * Start the server as the leader of its own process group, as a shell does with a foreground job, so a test can
   * signal the whole group the way a terminal's Ctrl-C does: `process.kill(-server.pid, 'SIGINT')`.
   */
  processGroup?: boolean;
}

export interface StopResult {
  /** How the server ended. */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** Processes the server had started that were still alive after it exited (then killed by stop). */
  orphans: ProcessId[];
}

export interface TestServer {
  /** Base URL, e.g. http://127.0.0.1:41234 (no trailing slash). */
  url: string;
  pid: number;
  /** The instance id the server announced; run records name it. */
  instanceId: string;
  dataDir: string;
  /** The database the server uses, for tests that arrange data directly (see {@link connectDatabase}). */
  mongoUri?: string;
  /** The processes this server started (the embedded database helper), as seen now. */
  children(): ProcessId[];
  /** Everything the server printed so far (last lines of stdout and stderr, interleaved). */
  logs(): string;
  /** Resolves when the server process has exited by itself (sends nothing), or with null after `timeoutMs`. */
  exited(timeoutMs: number): Promise<{ exitCode: number | null; signal: NodeJS.Signals | null } | null>;
  /** SIGTERM, wait for exit (SIGKILL after 20 s); then makes sure no process it started is left. Idempotent. */
  stop(): Promise<StopResult>;
  /** Like stop, and removes the data directory if this helper created it. */
  dispose(): Promise<StopResult>;
}

/** Environment variables that must not leak from the test runner into a server under test. */
const SCRUB = /^(NODE_ENV|VITEST.*|MONGODB_URI|MONGODB_DB|PORT|HOST|PUBLIC_URL|AUTH_SECRET|NEXTAUTH_.*|SYNCDECK_.*|ADMIN_.*)$/;

function serverEnv(dataDir: string, extra: Record<string, string> | undefined): Record<string, string | undefined> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([key]) => !SCRUB.test(key)));
  return {
    ...base,
    PORT: '0',
    HOST: '127.0.0.1',
    SYNCDECK_DATA_DIR: dataDir,
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    HEARTBEAT_INTERVAL_MS: '1000',
    SCHEDULER_POLL_MS: '500',
    LOG_LEVEL: 'warn',
    SYNCDECK_DEMO: 'false',
    NEXT_TELEMETRY_DISABLED: '1',
    ...extra,
  };
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.off('exit', onExit);
      resolve(false);
    }, timeoutMs);
    const onExit = () => {
      clearTimeout(timer);
      resolve(true);
    };
    child.once('exit', onExit);
  });
}

async function waitUntil(check: () => boolean, timeoutMs: number, everyMs = 100): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  return true;
}

/**
 * The URI of the server's database. Preferred source: `<dataDir>/database.json`, which the server writes when it
 * starts a local database. Fallback (older servers): the port the embedded database helper listens on.
 */
export function findDatabaseUri(dataDir: string, serverPid: number): string | undefined {
  const file = path.join(dataDir, 'database.json');
  if (existsSync(file)) {
    try {
      const entry = JSON.parse(readFileSync(file, 'utf8')) as { uri?: unknown };
      if (typeof entry.uri === 'string') return entry.uri;
    } catch {
      // Half-written; fall through.
    }
  }
  for (const child of descendantsOf(serverPid)) {
    if (child.name !== 'embedded-db' && child.name !== 'mongod') continue;
    const [port] = listeningPorts(child.pid);
    if (port) return `mongodb://127.0.0.1:${port}/`;
  }
  return undefined;
}

/**
 * Starts a Syncdeck server the way production does (`node --import tsx server/main.ts`, needs `next build`), on
 * 127.0.0.1 with an ephemeral port and its own data directory, and waits for its ready line.
 */
export async function startServer(options: StartOptions = {}): Promise<TestServer> {
  const ownDataDir = !options.dataDir;
  const dataDir = options.dataDir ?? (await mkdtemp(path.join(os.tmpdir(), 'syncdeck-test-')));
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env: serverEnv(dataDir, options.env) as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.processGroup ?? false,
  });
  const lines: string[] = [];
  const stderr: string[] = [];
  const keep = (list: string[], line: string) => {
    list.push(line);
    if (list.length > KEEP_LINES) list.shift();
  };
  createInterface({ input: child.stderr! }).on('line', (line) => {
    keep(lines, line);
    keep(stderr, line);
  });
  const stdout = createInterface({ input: child.stdout! });

  const ready = new Promise<{ url: string; instanceId: string }>((resolve, reject) => {
    const fail = (why: string) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`Syncdeck server ${why}. Last output:\n${stderr.slice(-40).join('\n') || lines.slice(-40).join('\n')}`));
    };
    const timer = setTimeout(() => fail(`was not ready within ${READY_TIMEOUT_MS / 1000} s`), READY_TIMEOUT_MS);
    child.once('error', (error) => fail(`could not be started (${error.message})`));
    child.once('exit', (code, sig) => fail(`exited before it was ready (code ${code ?? sig})`));
    stdout.on('line', (line) => {
      keep(lines, line);
      if (!line.startsWith('{"syncdeck"')) return;
      try {
        const ready = JSON.parse(line) as { syncdeck?: string; url?: string; instanceId?: string };
        if (ready.syncdeck === 'ready' && ready.url) {
          clearTimeout(timer);
          child.removeAllListeners('exit');
          resolve({ url: ready.url.replace(/\/$/, ''), instanceId: ready.instanceId ?? '' });
        }
      } catch {
        // Not our line.
      }
    });
  });

  let url: string;
  let instanceId: string;
  try {
    ({ url, instanceId } = await ready);
  } catch (error) {
    await waitForExit(child, 10_000);
    if (ownDataDir) await rm(dataDir, { recursive: true, force: true });
    throw error;
  }

  const pid = child.pid!;
  const stopResult: { current?: Promise<StopResult> } = {};
  const stop = () =>
    (stopResult.current ??= (async (): Promise<StopResult> => {
      const started = descendantsOf(pid);
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        if (!(await waitForExit(child, STOP_GRACE_MS))) {
          child.kill('SIGKILL');
          await waitForExit(child, 10_000);
        }
      }
      // The embedded database helper exits when its parent does; give it a moment, then make sure.
      await waitUntil(() => started.every((p) => !isAlive(p)), CHILD_GRACE_MS);
      const orphans = started.filter(isAlive);
      for (const proc of orphans) signal(proc, 'SIGTERM');
      if (orphans.length) await waitUntil(() => orphans.every((p) => !isAlive(p)), 5000);
      for (const proc of orphans) signal(proc, 'SIGKILL');
      return { exitCode: child.exitCode, signal: child.signalCode, orphans };
    })());

  return {
    url,
    pid,
    instanceId,
    dataDir,
    mongoUri: findDatabaseUri(dataDir, pid),
    children: () => descendantsOf(pid),
    logs: () => lines.join('\n'),
    exited: async (timeoutMs) => ((await waitForExit(child, timeoutMs)) ? { exitCode: child.exitCode, signal: child.signalCode } : null),
    stop,
    async dispose() {
      const result = await stop();
      if (ownDataDir) await rm(dataDir, { recursive: true, force: true });
      return result;
    },
  };
}
