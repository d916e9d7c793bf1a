import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, rename, writeFile } from 'node:fs/promises';
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

export interface LocalDatabase {
  uri: string;
  kind: 'ferretdb' | 'mongod';
  stop(): Promise<void>;
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
 * Starts the embedded FerretDB helper on a free loopback port with its data under `dataDir`.
 * The helper exits by itself when this process dies, because it watches its stdin pipe.
 */
export async function startEmbeddedDb(options: { dataDir: string; logger: Logger }): Promise<LocalDatabase> {
  const binary = await ensureEmbeddedDbBinary(options.logger);
  const dataDir = path.resolve(options.dataDir, 'ferretdb');
  await mkdir(dataDir, { recursive: true });
  const child = spawn(binary, ['-data', dataDir], { stdio: ['pipe', 'pipe', 'pipe'] });
  const stderr: string[] = [];
  createInterface({ input: child.stderr! }).on('line', (line) => {
    stderr.push(line);
    if (stderr.length > 50) stderr.shift();
    options.logger.debug({ source: 'embedded-db' }, line);
  });

  const uri = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const fail = (reason: string) => reject(new EmbeddedDbUnavailable(`${reason}${stderr.length ? `:\n${stderr.join('\n')}` : ''}`));
    const timer = setTimeout(() => fail('the embedded database did not start within 30 s'), 30_000);
    child.once('error', (error) => fail(`the embedded database helper could not start (${error.message})`));
    child.once('exit', (code, signal) => fail(`the embedded database helper exited early (code ${code ?? signal})`));
    lines.once('line', (line) => {
      clearTimeout(timer);
      try {
        resolve((JSON.parse(line) as { uri: string }).uri);
      } catch {
        fail(`the embedded database helper printed an unexpected line: ${line}`);
      }
    });
  });
  let stopping = false;
  child.removeAllListeners('exit');
  child.on('exit', (code, signal) => {
    if (!stopping) options.logger.error({ code, signal, stderr: stderr.slice(-10) }, 'embedded database exited unexpectedly');
  });
  options.logger.info({ uri, dataDir }, 'embedded database (FerretDB on SQLite) started');
  return {
    uri,
    kind: 'ferretdb',
    async stop() {
      stopping = true;
      child.stdin?.end();
      await stopChild(child);
    },
  };
}
