import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { MongoClient, type Db } from 'mongodb';
import { isFerretDb } from '@/lib/db-kind';
import type { Config } from '@/lib/env';
import type { Logger } from '@/lib/logger';
import { DatabaseMonitor, PING_TIMEOUT_MS, type DatabaseErrorGate } from './db-health';
import { startEmbeddedDb, stopChild, type LocalDatabase } from './embedded-db';

/** Where the database came from: the operator's MongoDB, a local mongod, or the embedded FerretDB. */
export type DatabaseSource = 'uri' | 'mongod' | 'ferretdb';

export interface Database {
  client: MongoClient;
  db: Db;
  source: DatabaseSource;
  /** The database's health, held by a background pinger (started by the server, not by the CLI). */
  health: DatabaseMonitor;
  /** Closes the client and stops the local database process if Syncdeck started one. */
  close(): Promise<void>;
}

export interface OpenOptions {
  /**
   * Called once when the local database Syncdeck started died and could not be brought back; the server exits
   * then (non-zero) so that its service manager restarts it.
   */
  onFatal?(error: Error): void;
  /** Closed by the health monitor while the database is not ok, so an outage is not logged on every poll. */
  gate?: DatabaseErrorGate;
}

export class DatabaseUnavailable extends Error {
  override name = 'DatabaseUnavailable';
}

const HOW_TO_FIX = `Syncdeck needs a MongoDB database. Fix it in one of three ways:
  1. set MONGODB_URI to a running MongoDB (e.g. MONGODB_URI=mongodb://127.0.0.1:27017), or
  2. put a mongod binary on PATH (Syncdeck starts it with its data under SYNCDECK_DATA_DIR), or
  3. install the Go toolchain (https://go.dev/dl, or: apt install golang) so Syncdeck can build its embedded database.`;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function onPath(binary: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = spawn(binary, ['--version'], { stdio: 'ignore' });
    probe.once('error', () => resolve(false));
    probe.once('exit', (code) => resolve(code === 0));
  });
}

async function startMongod(options: { dataDir: string; logger: Logger }): Promise<LocalDatabase> {
  const dbPath = path.resolve(options.dataDir, 'mongod');
  await mkdir(dbPath, { recursive: true });
  const port = await freePort();
  const child = spawn('mongod', ['--dbpath', dbPath, '--bind_ip', '127.0.0.1', '--port', String(port), '--quiet'], {
    stdio: 'ignore',
  });
  await new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new DatabaseUnavailable(`mongod exited during start-up (code ${code})`)));
    setTimeout(resolve, 300);
  });
  child.removeAllListeners('exit');
  options.logger.info({ port, dbPath }, 'local mongod started');
  return { uri: `mongodb://127.0.0.1:${port}/`, kind: 'mongod', stop: () => stopChild(child) };
}

/** Where a process that started a local database records it, so other processes (the CLI) use it instead of a second one. */
const runningFile = (dataDir: string) => path.resolve(dataDir, 'database.json');

/**
 * The content of `<dataDir>/database.json` (mode 0600): how tools on this machine (the CLI, mongosh, Agendash)
 * reach the local database. For the embedded database `uri` names its Unix socket, which only this user can open.
 */
interface RunningDatabase {
  uri: string;
  /** The database Syncdeck uses inside it (MONGODB_DB). */
  db: string;
  pid: number;
  source: DatabaseSource;
}

async function recordRunningDatabase(dataDir: string, entry: RunningDatabase): Promise<() => Promise<void>> {
  const file = runningFile(dataDir);
  const partial = `${file}.${process.pid}.partial`;
  await writeFile(partial, JSON.stringify(entry), { mode: 0o600 });
  await rename(partial, file);
  return async () => {
    // Only our own record: a later process may have replaced it.
    const current = await readFile(file, 'utf8').catch(() => '');
    if (current === JSON.stringify(entry)) await rm(file, { force: true });
  };
}

/**
 * The URI of the local database another live process started on `dataDir` (from `<dataDir>/database.json`),
 * or null when there is none. Two FerretDB processes must never open the same SQLite directory at once.
 */
export function findRunningDatabase(dataDir: string): string | null {
  let entry: Partial<RunningDatabase>;
  try {
    entry = JSON.parse(readFileSync(runningFile(dataDir), 'utf8')) as Partial<RunningDatabase>;
  } catch {
    return null;
  }
  if (typeof entry.uri !== 'string' || !Number.isInteger(entry.pid) || entry.pid! <= 0) return null;
  try {
    process.kill(entry.pid!, 0);
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return null;
  }
  return entry.uri;
}

/**
 * FerretDB on SQLite serialises writes; with many connections from one client they queue inside SQLite's busy
 * handler and stall each other for seconds (SQLITE_BUSY). Two connections per process keep it responsive.
 */
const FERRETDB_POOL_SIZE = 2;

/**
 * A socket read, or a wait for a free pooled connection, that takes longer than this fails instead of waiting
 * forever (a stalled database server would otherwise hold every request that touches it, and every request queued
 * behind those). Set `socketTimeoutMS` / `waitQueueTimeoutMS` in MONGODB_URI to change them.
 */
const STALL_TIMEOUT_MS = 30_000;

function openClient(uri: string, timeoutMs: number, maxPoolSize?: number, appName = 'syncdeck'): MongoClient {
  return new MongoClient(uri, {
    serverSelectionTimeoutMS: timeoutMs,
    directConnection: uri.startsWith('mongodb://') && !uri.includes(','),
    appName,
    ...(maxPoolSize ? { maxPoolSize } : {}),
    ...(/[?&]socketTimeoutMS=/i.test(uri) ? {} : { socketTimeoutMS: STALL_TIMEOUT_MS }),
    ...(/[?&]waitQueueTimeoutMS=/i.test(uri) ? {} : { waitQueueTimeoutMS: STALL_TIMEOUT_MS }),
  });
}

/** The health monitor's own client: one connection, so its pings never queue behind the application's work. */
function monitorOf(uri: string, dbName: string, logger: Logger, gate: DatabaseErrorGate | undefined): DatabaseMonitor {
  return new DatabaseMonitor({ client: openClient(uri, PING_TIMEOUT_MS, 1, 'syncdeck-health'), dbName, logger, gate });
}

/** Connects; a FerretDB server (recognised by its buildInfo) gets the small pool unless the URI sets one. */
async function connect(uri: string, dbName: string, timeoutMs: number): Promise<MongoClient> {
  let client = openClient(uri, timeoutMs);
  await client.connect();
  if ((await isFerretDb(client.db(dbName))) && !/[?&]maxPoolSize=/i.test(uri)) {
    await client.close();
    client = openClient(uri, timeoutMs, FERRETDB_POOL_SIZE);
    await client.connect();
  }
  await client.db(dbName).command({ ping: 1 });
  return client;
}

/**
 * Opens the database: `MONGODB_URI` if set, else a `mongod` found on PATH, else the embedded FerretDB helper.
 * Throws {@link DatabaseUnavailable} with the three ways to fix it when none of them works.
 */
export async function openDatabase(config: Config, logger: Logger, options: OpenOptions = {}): Promise<Database> {
  if (config.mongodbUri) {
    try {
      const client = await connect(config.mongodbUri, config.mongodbDb, 10_000);
      logger.info({ db: config.mongodbDb }, 'connected to MongoDB from MONGODB_URI');
      const health = monitorOf(config.mongodbUri, config.mongodbDb, logger, options.gate);
      return {
        client,
        db: client.db(config.mongodbDb),
        source: 'uri',
        health,
        async close() {
          await health.stop();
          await client.close();
        },
      };
    } catch (error) {
      throw new DatabaseUnavailable(`MONGODB_URI: cannot connect (${(error as Error).message}).\n${HOW_TO_FIX}`);
    }
  }

  const running = findRunningDatabase(config.dataDir);
  if (running) {
    throw new DatabaseUnavailable(
      `Another Syncdeck process already runs the local database in ${path.resolve(config.dataDir)} (${running}).\n` +
        `Stop that process, give this one its own SYNCDECK_DATA_DIR, or share that database with MONGODB_URI=${running}`,
    );
  }
  const attempts: string[] = [];
  const starters: Array<[DatabaseSource, () => Promise<LocalDatabase>]> = [];
  if (await onPath('mongod')) starters.push(['mongod', () => startMongod({ dataDir: config.dataDir, logger })]);
  else attempts.push('no mongod on PATH');
  starters.push(['ferretdb', () => startEmbeddedDb({ dataDir: config.dataDir, logger })]);

  for (const [source, start] of starters) {
    let local: LocalDatabase | undefined;
    let forget: (() => Promise<void>) | undefined;
    try {
      local = await start();
      forget = await recordRunningDatabase(config.dataDir, { uri: local.uri, db: config.mongodbDb, pid: process.pid, source });
      const client = await connect(local.uri, config.mongodbDb, 10_000);
      const health = monitorOf(local.uri, config.mongodbDb, logger, options.gate);
      local.onState?.((state, error) => {
        health.noteLocal(state);
        if (state === 'failed') options.onFatal?.(error ?? new DatabaseUnavailable('the local database could not be restarted'));
      });
      const { stop } = local;
      const unrecord = forget;
      return {
        client,
        db: client.db(config.mongodbDb),
        source,
        health,
        async close() {
          await unrecord();
          await health.stop();
          await client.close();
          await stop();
        },
      };
    } catch (error) {
      await forget?.();
      await local?.stop();
      attempts.push(`${source}: ${(error as Error).message}`);
    }
  }
  throw new DatabaseUnavailable(`No database available (${attempts.join('; ')}).\n${HOW_TO_FIX}`);
}
