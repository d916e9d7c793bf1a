import { existsSync } from 'node:fs';
import path from 'node:path';
import { MongoClient, type Db } from 'mongodb';
import type { Config } from '@/lib/env';
import type { Logger } from '@/lib/logger';
import { findRunningDatabase, openDatabase } from '../database';
import { CliError, type CliIO } from './io';

export interface CliDatabase {
  db: Db;
  close(): Promise<void>;
}

/** Milliseconds before the CLI says it is still starting a database (the first run builds the helper, ~1 min). */
const SLOW_START_NOTICE_MS = 2000;

/**
 * The database a CLI command works on:
 * 1. `MONGODB_URI` when set;
 * 2. else the local database a running Syncdeck server recorded in `<dataDir>/database.json` (two FerretDB
 *    processes must never open the same SQLite files, so the CLI joins the server's instead of starting one);
 * 3. else a private local database on `dataDir`, started for this command and stopped when it is done.
 */
export async function openCliDatabase({ config, logger, io }: { config: Config; logger: Logger; io: CliIO }): Promise<CliDatabase> {
  if (config.mongodbUri) return openOrExplain(config, logger);

  const runningUri = findRunningDatabase(config.dataDir);
  if (runningUri) return joinRunningDatabase(runningUri, config);

  const dataDir = path.resolve(config.dataDir);
  if (!existsSync(path.join(dataDir, 'ferretdb')) && !existsSync(path.join(dataDir, 'mongod'))) {
    io.err(
      `syncdeck: warning: ${dataDir} holds no database yet, so a new one is created there. ` +
        `If Syncdeck keeps its data elsewhere, run this from the project directory or set SYNCDECK_DATA_DIR.\n`,
    );
  }
  const notice = setTimeout(
    () => io.err('syncdeck: starting the embedded database for this command (the first run builds it, about a minute)…\n'),
    SLOW_START_NOTICE_MS,
  );
  try {
    return await openOrExplain(config, logger);
  } finally {
    clearTimeout(notice);
  }
}

async function openOrExplain(config: Config, logger: Logger): Promise<CliDatabase> {
  try {
    return await openDatabase(config, logger);
  } catch (error) {
    throw new CliError((error as Error).message);
  }
}

async function joinRunningDatabase(uri: string, config: Config): Promise<CliDatabase> {
  const client = new MongoClient(uri, { directConnection: true, serverSelectionTimeoutMS: 5000, appName: 'syncdeck-cli', maxPoolSize: 2 });
  try {
    await client.connect();
    await client.db(config.mongodbDb).command({ ping: 1 });
  } catch (error) {
    await client.close().catch(() => undefined);
    const file = path.resolve(config.dataDir, 'database.json');
    const message = (error as Error).message;
    throw new CliError(
      `The running Syncdeck server's database (${uri}, recorded in ${file}) does not answer: ${message}\n` +
        (/EACCES/.test(message)
          ? 'Only the user Syncdeck runs as can open its embedded database: run this command as that user.'
          : `If no Syncdeck server is running on this data directory, delete ${file} and try again.`),
    );
  }
  return { db: client.db(config.mongodbDb), close: () => client.close() };
}
