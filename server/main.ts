import { randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import next from 'next';
import { stampClientAddress } from '@/lib/auth/client-address';
import { ensureDemoConnector, ensureFiguresMoved, ensureFirstAdmin, ensureIndexes, loopbackUrl } from '@/lib/bootstrap';
import { ConfigError, exportLibraryEnv, loadConfig, type Config } from '@/lib/env';
import { createLogger, type Logger } from '@/lib/logger';
import { FinishedRunsCache } from '@/lib/overview-stats';
import type { ServerEventPayload } from '@/lib/realtime/events';
import { loadAllModuleConnectors } from '@/lib/connectors/kinds/module-loader';
import { EventBus, setRuntime, type Runtime } from '@/lib/runtime';
import { RunExecutor } from '@/lib/runs/execute';
import { reencryptSecrets } from '@/lib/connectors/secrets';
import { noteConnectorsChanged } from '@/lib/connectors/store';
import { keyringOf, resolveSecretsKey } from '@/lib/secrets/config';
import { readOrCreateLocalSecret } from '@/lib/secrets/local-secret';
import { openDatabase, type Database } from './database';
import { DatabaseErrorGate } from './db-health';
import { startHeartbeat } from './heartbeat';
import { refuseMalformed } from './http-guard';
import { createRealtime, SOCKET_IO_PATH } from './realtime';
import { startRelay } from './relay';
import { Scheduler } from './scheduler';

const ROOT = path.resolve(import.meta.dirname, '..');

/** In development a missing AUTH_SECRET is generated once and kept under the data dir (mode 0600). */
async function resolveAuthSecret(config: Config, logger: Logger): Promise<string> {
  if (config.authSecret) return config.authSecret;
  const { value, file, generated } = await readOrCreateLocalSecret({ dataDir: config.dataDir, name: 'auth-secret', generate: () => randomBytes(32).toString('base64url') });
  if (generated) logger.info({ file }, 'generated a session secret for development (set AUTH_SECRET in production)');
  return value;
}

/** Likewise SECRETS_KEY, the key connector secrets are encrypted with. */
async function resolveSecretsKeyLogged(config: Config, logger: Logger): Promise<string> {
  const { key, generatedFile } = await resolveSecretsKey(config);
  if (generatedFile) logger.info({ file: generatedFile }, 'generated a secrets key for development (set SECRETS_KEY in production, and keep it)');
  return key;
}

/**
 * Exit code when the local database died and could not be restarted (as when none can be opened at start), so a
 * service manager restarts Syncdeck and its database.
 */
const DATABASE_LOST = 3;

/** Starts one Syncdeck instance: database, web app, Socket.IO, scheduler, heartbeat. */
async function main(): Promise<void> {
  const dev = process.argv.includes('--dev');
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`Syncdeck cannot start.\n${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const gate = new DatabaseErrorGate();
  const logger = createLogger({ level: config.logLevel, hooks: { logMethod: gate.hook } });
  config = { ...config, authSecret: await resolveAuthSecret(config, logger), secretsKey: await resolveSecretsKeyLogged(config, logger) };

  // Set once the instance runs; until then a database that cannot be brought back just ends the process.
  let onDatabaseLost = (): void => process.exit(DATABASE_LOST);
  let database: Database;
  try {
    database = await openDatabase(config, logger, { onFatal: () => onDatabaseLost(), gate });
  } catch (error) {
    process.stderr.write(`Syncdeck cannot start.\n${(error as Error).message}\n`);
    process.exit(3);
  }
  database.health.start();
  let instance: Instance;
  try {
    instance = await startInstance({ config, logger, database, dev });
  } catch (error) {
    await database.close().catch(() => {});
    if (error instanceof ConfigError) {
      process.stderr.write(`Syncdeck cannot start.\n${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }

  let stopping = false;
  /** In order: stop taking work and drain runs, close the database client, then stop the local database. */
  const shutdown = async (signal: string, exitCode = 0) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: draining running syncs');
    // Without a database nothing can be drained or recorded: a short grace, then out.
    const lost = exitCode === DATABASE_LOST;
    const force = setTimeout(() => {
      logger.error(lost ? 'exiting without a database' : 'shutdown did not finish in time; exiting');
      process.exit(lost ? DATABASE_LOST : 1);
    }, lost ? 5000 : config.shutdownTimeoutMs + 15_000);
    force.unref();
    try {
      await instance.stop();
      await database.close();
      setRuntime(undefined);
      logger.info('stopped');
      process.exit(exitCode);
    } catch (err) {
      logger.error({ err }, 'shutdown failed');
      process.exit(lost ? DATABASE_LOST : 1);
    }
  };
  onDatabaseLost = () => void shutdown('database lost', DATABASE_LOST);
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

/**
 * Re-encrypts secrets still under SECRETS_KEY_PREVIOUS with SECRETS_KEY. Secrets no configured key can read stop
 * the start: every run of their connectors would fail, and the message says which key is missing.
 */
async function rotateSecrets({ db, keyring, logger }: { db: Database['db']; keyring: ReturnType<typeof keyringOf>; logger: Logger }): Promise<void> {
  const { reencrypted, unreadable } = await reencryptSecrets({ db, keyring });
  if (reencrypted) {
    await noteConnectorsChanged(db);
    logger.info({ reencrypted, keyId: keyring.currentKeyId }, 'secrets re-encrypted with the current SECRETS_KEY');
  }
  if (unreadable.length) {
    const lines = unreadable.slice(0, 10).map((u) => `  connector ${u.connectorId}, secret ${u.name}: ${u.reason}`);
    throw new ConfigError(
      `Invalid configuration:\n  SECRETS_KEY: ${unreadable.length} stored secret(s) cannot be decrypted with the configured keys:\n${lines.join('\n')}\n` +
        '  Set SECRETS_KEY_PREVIOUS to the key they were encrypted with (see README, Secrets), or set the secrets again.',
    );
  }
}

/** Loads the module connectors at start, so a broken module is reported now rather than at its first run. */
async function loadModules({ dir, logger }: { dir: string; logger: Logger }): Promise<void> {
  const outcomes = await loadAllModuleConnectors(dir);
  for (const outcome of outcomes) {
    if (outcome.error) logger.warn({ dir }, `module connector ${outcome.error}`);
  }
  const loaded = outcomes.filter((o) => !o.error).map((o) => o.file);
  if (loaded.length) logger.info({ dir, modules: loaded }, `${loaded.length} module connector(s) loaded`);
}

interface Instance {
  /** Stops taking work, drains running syncs (bounded), closes sockets and the web server. */
  stop(): Promise<void>;
}

/** Everything that runs on the opened database: scheduler, web app, Socket.IO, heartbeat. */
async function startInstance({ config, logger, database, dev }: { config: Config; logger: Logger; database: Database; dev: boolean }): Promise<Instance> {
  const instanceId = `${os.hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
  const { db } = database;
  const bus = new EventBus();
  const keyring = keyringOf(config);
  await rotateSecrets({ db, keyring, logger });
  const executor = new RunExecutor({
    db,
    bus,
    logger,
    instanceId,
    keyring,
    timings: { leaseMs: config.runLeaseMs, renewEveryMs: Math.max(500, Math.round(config.runLeaseMs / 6)) },
  });
  const scheduler = new Scheduler({ db, bus, logger, instanceId, pollMs: config.schedulerPollMs, retention: config.retention, executor });
  const finishedRuns = new FinishedRunsCache(db, (err) => logger.warn({ err }, 'could not read the run history for the overview figures'));
  // Its own finishes from the bus; those of other instances from the relay (below).
  const noteFinish = (event: string, payload: unknown) => {
    if (event !== 'sync:finish') return;
    const finish = payload as ServerEventPayload<'sync:finish'>;
    finishedRuns.add({ id: finish.runId, connectorId: finish.connectorId, status: finish.status, at: new Date(finish.finishedAt), durationMs: finish.durationMs });
  };
  bus.onAny(noteFinish);
  const runtime: Runtime = {
    config,
    db,
    logger,
    instanceId,
    startedAt: new Date(),
    bus,
    scheduler,
    finishedRuns,
    dbHealth: async () => {
      const state = database.health.state();
      return { ok: state.status === 'ok', latencyMs: state.latencyMs };
    },
    databaseState: () => database.health.state(),
  };
  setRuntime(runtime);
  await loadModules({ dir: config.connectorsDir, logger });
  await ensureIndexes(db);
  await ensureFiguresMoved({ db, logger });
  const firstAdmin = await ensureFirstAdmin({ db, config, logger });

  exportLibraryEnv({ nodeEnv: dev ? 'development' : 'production' });
  // Next.js listens for WebSocket upgrades (its development reload socket) on the server it is given, or else on
  // the one its first request came through. Left on the web server, it would also route every dashboard socket
  // and keep what it set up for each for the socket's whole life. It gets a server of its own that never listens
  // and is handed only the upgrades that are not Socket.IO's.
  const nextUpgrades = createServer();
  const app = next({ dev, dir: ROOT, hostname: config.host, port: config.port, httpServer: nextUpgrades });
  await app.prepare();
  const handle = app.getRequestHandler();

  const httpServer = createServer((req, res) => {
    if (refuseMalformed(req, res)) return;
    stampClientAddress(req, config.trustProxy);
    handle(req, res).catch((err) => {
      // The path only: a query may carry a display link's token.
      logger.error({ err, path: req.url?.split('?')[0] }, 'request handler failed');
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  const realtime = createRealtime({ httpServer, db, secret: config.authSecret!, bus, logger, credentialsRecheckMs: config.livenessIntervalMs, publicUrl: config.publicUrl });
  httpServer.on('upgrade', (req, socket, head) => {
    if (!req.url?.startsWith(SOCKET_IO_PATH)) nextUpgrades.emit('upgrade', req, socket, head);
  });

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.port, config.host, resolve);
  });
  const address = httpServer.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const url = config.publicUrl ?? `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}`;
  exportLibraryEnv({ nodeEnv: dev ? 'development' : 'production', authUrl: url });
  // The demo connector reaches the demo source through this server's own loopback address, known only now.
  if (typeof address === 'object' && address) await ensureDemoConnector({ db, config, logger, keyring, selfUrl: loopbackUrl(address) });

  await scheduler.start();
  finishedRuns.warm();
  const heartbeat = startHeartbeat({ runtime, bus, intervalMs: config.heartbeatIntervalMs, recordEveryMs: config.livenessIntervalMs, logger });
  const relay = startRelay({
    db,
    bus,
    instanceId,
    logger,
    deliver: (event, payload) => {
      noteFinish(event, payload);
      realtime.deliver(event, payload);
    },
    options: { pollMs: 250, flushMs: 50, keepMs: 15_000, aliveMs: config.livenessIntervalMs * 3 },
  });

  logger.info({ url, instanceId, database: database.source, dev }, 'Syncdeck is ready');
  // The one line scripts and tests wait for; printed on stdout as JSON.
  process.stdout.write(`${JSON.stringify({ syncdeck: 'ready', url, instanceId, database: database.source })}\n`);
  printWelcome(url, firstAdmin);

  return {
    async stop() {
      httpServer.close();
      await scheduler.stop(config.shutdownTimeoutMs);
      await relay.stop();
      await heartbeat.stop();
      await realtime.close();
      await app.close();
    },
  };
}

function printWelcome(url: string, firstAdmin: { email: string; generatedPassword?: string } | null) {
  const lines = [``, `  Syncdeck is running at ${url}`];
  if (firstAdmin?.generatedPassword) {
    lines.push(
      ``,
      `  First administrator created (this password is shown once; it is stored only as a hash):`,
      `    email:    ${firstAdmin.email}`,
      `    password: ${firstAdmin.generatedPassword}`,
      `  Add users and tokens with: npx syncdeck users create --help`,
    );
  } else if (firstAdmin) {
    lines.push(``, `  First administrator created: ${firstAdmin.email} (password from ADMIN_PASSWORD)`);
  }
  process.stderr.write(`${lines.join('\n')}\n\n`);
}

main().catch((error) => {
  const { code, port } = error as { code?: string; port?: number };
  if (code === 'EADDRINUSE' || code === 'EACCES') {
    process.stderr.write(`Syncdeck cannot start.\n  PORT: ${port ?? 'the port'} is ${code === 'EADDRINUSE' ? 'already in use' : 'not allowed'}; set PORT to a free port (or 0 for any)\n`);
    process.exit(2);
  }
  process.stderr.write(`Syncdeck failed to start: ${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
