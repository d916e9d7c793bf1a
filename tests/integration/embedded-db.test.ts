import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { chmod, readdir, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { afterEach, describe, expect, it } from 'vitest';
import { capabilities } from '@/lib/store/capabilities';
import { api, eventually, type Auth } from '../support/api';
import { connectDatabase, createToken } from '../support/database';
import { isAlive, listeningPorts, type ProcessId } from '../support/processes';
import { ROOT, startServer, type StartOptions, type TestServer } from '../support/server';

/**
 * The embedded database as a process Syncdeck owns: reachable by Syncdeck's user only, restarted when it dies,
 * watched so that /api/health answers at once whatever it does, and stopped last on Ctrl-C. Faults are real:
 * SIGKILL, SIGSTOP, a data directory taken away, SIGINT to the whole process group.
 */

interface Health {
  status: 'ok' | 'degraded';
  database: { status: 'ok' | 'degraded' | 'down'; since: string; error?: string };
}

interface Run {
  id: string;
  status: string;
  counts: { fetched: number };
  progress?: { done: number };
}

/** A health request must answer within this bound; one that does not fails the test. */
const HEALTH_BOUND_MS = 2000;

const servers: TestServer[] = [];

async function start(options: StartOptions = {}): Promise<TestServer> {
  const server = await startServer(options);
  servers.push(server);
  return server;
}

afterEach(async () => {
  for (const server of servers.splice(0).reverse()) {
    // A helper left stopped by a failed test would never see its SIGTERM.
    for (const child of server.children()) if (child.name === 'embedded-db') process.kill(child.pid, 'SIGCONT');
    expect((await server.dispose()).orphans).toEqual([]);
  }
});

function helperOf(server: TestServer): ProcessId {
  const helper = server.children().find((c) => c.name === 'embedded-db');
  if (!helper) throw new Error(`no embedded-db process under server ${server.pid}`);
  return helper;
}

/** GET /api/health, failing if it does not answer within {@link HEALTH_BOUND_MS}. */
async function health(server: TestServer): Promise<{ status: number; body: Health }> {
  const res = await fetch(`${server.url}/api/health`, { signal: AbortSignal.timeout(HEALTH_BOUND_MS) });
  return { status: res.status, body: (await res.json()) as Health };
}

async function adminToken(server: TestServer): Promise<Auth> {
  const database = await connectDatabase(server);
  try {
    return { token: (await createToken(database.db, 'admin')).token };
  } finally {
    await database.close();
  }
}

async function createDemoConnector(server: TestServer, auth: Auth, id: string, config: Record<string, number>): Promise<void> {
  const created = await api(server.url, '/api/connectors', { auth, body: { id, name: id, kind: 'demo', config: { failureRate: 0, ...config } } });
  expect(created.status).toBe(201);
}

const logLines = (server: TestServer, pattern: RegExp) => server.logs().split('\n').filter((line) => pattern.test(line));

describe('embedded database', () => {
  it('listens on a Unix socket only its user can open, with private files; database.json names it', async () => {
    const server = await start();
    expect(listeningPorts(helperOf(server).pid)).toEqual([]);

    const file = path.join(server.dataDir, 'database.json');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const entry = JSON.parse(readFileSync(file, 'utf8')) as { uri: string; db: string };
    expect(entry.db).toBe('syncdeck');
    const host = /^mongodb:\/\/([^/]+)\/$/.exec(entry.uri)?.[1];
    expect(host).toBeDefined();
    const socket = decodeURIComponent(host!);
    const socketStat = await stat(socket);
    expect(socketStat.isSocket()).toBe(true);
    expect(socketStat.mode & 0o777).toBe(0o600);
    const dir = path.join(server.dataDir, 'ferretdb');
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    const files = (await readdir(dir)).filter((name) => name.includes('.sqlite'));
    expect(files.length).toBeGreaterThan(0);
    for (const name of files) expect((await stat(path.join(dir, name))).mode & 0o077).toBe(0);

    // The recorded URI is all a tool of the same user needs.
    const database = await connectDatabase(server);
    try {
      expect(await database.db.collection('users').countDocuments()).toBeGreaterThan(0);
      // Detected from buildInfo and hello: FerretDB, and a standalone server without change streams.
      expect(await capabilities(database.db)).toEqual({ ferretdb: true, changeStreams: false, transactions: false });
    } finally {
      await database.close();
    }
  });

  it.runIf(process.getuid?.() === 0)('another local user cannot list the users, even with the data directory open to all', async () => {
    const server = await start();
    // Only Syncdeck's own modes stand in the way: the data directory itself is left readable by everyone.
    await chmod(server.dataDir, 0o755);
    const uri = (JSON.parse(readFileSync(path.join(server.dataDir, 'database.json'), 'utf8')) as { uri: string }).uri;
    const script = `
      const { MongoClient } = require(${JSON.stringify(path.join(ROOT, 'node_modules', 'mongodb'))});
      const client = new MongoClient(process.argv[1], { directConnection: true, serverSelectionTimeoutMS: 3000 });
      client.db('syncdeck').collection('users').find().toArray()
        .then((users) => console.log(JSON.stringify({ users: users.length })), (e) => console.log(JSON.stringify({ error: e.message })))
        .finally(() => client.close());`;
    const child = spawn(process.execPath, ['-e', script, uri], { uid: 65534, gid: 65534, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    await new Promise((resolve) => child.once('exit', resolve));
    const result = JSON.parse(out.trim().split('\n').pop()!) as { users?: number; error?: string };
    expect(result.users).toBeUndefined();
    expect(result.error).toMatch(/EACCES/);
  });

  it('a SIGKILLed helper is restarted on the same socket: health is ok again and a run completes', async () => {
    const server = await start();
    const auth = await adminToken(server);
    await createDemoConnector(server, auth, 'after-restart', { records: 30, pageSize: 10, pageDelayMs: 0 });
    const first = helperOf(server);

    process.kill(first.pid, 'SIGKILL');
    await eventually(() => !isAlive(first), { what: 'the helper to die' });
    const second = await eventually(() => server.children().find((c) => c.name === 'embedded-db' && c.pid !== first.pid), { what: 'a new helper' });
    await eventually(async () => (await health(server)).status === 200, { what: 'health to be ok again' });
    expect(isAlive(second)).toBe(true);
    const { body } = await health(server);
    expect(body).toMatchObject({ status: 'ok', database: { status: 'ok' } });

    const run = await api<Run>(server.url, '/api/connectors/after-restart/run?wait=true', { method: 'POST', auth });
    expect(run.status).toBe(200);
    expect(run.body).toMatchObject({ status: 'succeeded', counts: { fetched: 30 } });
    // The server told once what happened, not on every failed poll.
    expect(logLines(server, /embedded database exited unexpectedly/)).toHaveLength(1);
    expect(logLines(server, /MongoServerSelectionError|MongoNetworkError/).length).toBeLessThan(5);
  });

  it('SIGTERM and SIGINT sent to the helper (a service manager signalling the whole service) do not stop it', async () => {
    const server = await start();
    const auth = await adminToken(server);
    await createDemoConnector(server, auth, 'signalled-helper', { records: 30, pageSize: 10, pageDelayMs: 0 });
    const helper = helperOf(server);

    process.kill(helper.pid, 'SIGTERM');
    process.kill(helper.pid, 'SIGINT');
    // A run written through the database after the signals proves they were delivered and ignored.
    const run = await api<Run>(server.url, '/api/connectors/signalled-helper/run?wait=true', { method: 'POST', auth });
    expect(run.body).toMatchObject({ status: 'succeeded', counts: { fetched: 30 } });
    expect(isAlive(helper)).toBe(true);
    expect(helperOf(server).pid).toBe(helper.pid);
    expect(logLines(server, /embedded database exited unexpectedly/)).toEqual([]);
  });

  it('a helper that cannot be restarted makes the server exit with code 3, leaving nothing behind', async () => {
    const server = await start();
    const helper = helperOf(server);
    // Take the data directory away under the running helper, and put a file where it was.
    const dir = path.join(server.dataDir, 'ferretdb');
    await rename(dir, `${dir}.moved`);
    await writeFile(dir, 'not a directory');

    process.kill(helper.pid, 'SIGKILL');
    const exit = await server.exited(120_000);
    expect(exit).toEqual({ exitCode: 3, signal: null });
    expect((await server.stop()).orphans).toEqual([]);
    expect(logLines(server, /embedded database exited unexpectedly/)).toHaveLength(1);
    expect(logLines(server, /embedded database could not be restarted; giving up/)).toHaveLength(1);
    expect(logLines(server, /"msg":"scheduler error"/)).toEqual([]);
  });

  it('/api/health answers at once while the helper is stopped (SIGSTOP), says degraded, and ok after SIGCONT', async () => {
    const server = await start();
    const helper = helperOf(server);
    expect((await health(server)).body).toMatchObject({ status: 'ok', database: { status: 'ok' } });

    process.kill(helper.pid, 'SIGSTOP');
    try {
      // Every request is bounded; the stall must show as degraded within a bounded number of them.
      let degraded: { status: number; body: Health } | undefined;
      for (let i = 0; i < 40 && !degraded; i++) {
        const answer = await health(server);
        if (answer.body.database.status === 'degraded') degraded = answer;
        else await new Promise((resolve) => setTimeout(resolve, 250));
      }
      expect(degraded).toBeDefined();
      expect(degraded!.status).toBe(503);
      expect(degraded!.body.status).toBe('degraded');
      expect(degraded!.body.database.error).toMatch(/no answer within/);
      expect(Date.parse(degraded!.body.database.since)).not.toBeNaN();
      // And it stays so, answering every time, while the helper stays stopped.
      for (let i = 0; i < 5; i++) expect((await health(server)).body.database.status).toBe('degraded');
    } finally {
      process.kill(helper.pid, 'SIGCONT');
    }
    await eventually(async () => (await health(server)).body.database.status === 'ok', { what: 'health to be ok after SIGCONT' });
    expect(isAlive(helper)).toBe(true);
  });

  it('Ctrl-C (SIGINT to the process group) drains a running sync on a live database, then stops it: exit 0', async () => {
    const server = await start({ processGroup: true, env: { SHUTDOWN_TIMEOUT_MS: '60000', LOG_LEVEL: 'info' } });
    const auth = await adminToken(server);
    // About 8 s of work, writing a page to the database every second.
    await createDemoConnector(server, auth, 'draining', { records: 80, pageSize: 10, pageDelayMs: 1000 });
    const started = await api<{ runId: string }>(server.url, '/api/connectors/draining/run', { method: 'POST', auth });
    expect(started.status).toBe(202);
    const { runId } = started.body;
    await eventually(async () => {
      const run = (await api<Run>(server.url, `/api/runs/${encodeURIComponent(runId)}`, { auth })).body;
      return run.status === 'running' && (run.progress?.done ?? 0) > 0;
    }, { what: 'the run to be running' });
    const helper = helperOf(server);

    process.kill(-server.pid, 'SIGINT');
    // While it drains, the database still takes new connections (a terminal's SIGINT did not reach it).
    const uri = (JSON.parse(readFileSync(path.join(server.dataDir, 'database.json'), 'utf8')) as { uri: string }).uri;
    const client = new MongoClient(uri, { directConnection: true, serverSelectionTimeoutMS: 3000, maxPoolSize: 1 });
    try {
      await client.db('syncdeck').command({ ping: 1 });
    } finally {
      await client.close();
    }
    expect(await server.exited(0)).toBeNull();

    expect(await server.exited(90_000)).toEqual({ exitCode: 0, signal: null });
    expect((await server.stop()).orphans).toEqual([]);
    expect(isAlive(helper)).toBe(false);
    const problems = /ECONNREFUSED|ENOENT|exited unexpectedly|database down|database degraded|shutdown timeout reached|could not/;
    expect(logLines(server, problems)).toEqual([]);
    const order = ['shutting down: draining running syncs', 'stopped'].map((msg) => server.logs().indexOf(`"msg":"${msg}"`));
    expect(order[0]).toBeGreaterThan(-1);
    expect(order[1]).toBeGreaterThan(order[0]!);

    // The run finished during the drain and was recorded as such.
    const again = await start({ dataDir: server.dataDir });
    const run = await api<Run>(again.url, `/api/runs/${encodeURIComponent(runId)}`, { auth: await adminToken(again) });
    expect(run.body).toMatchObject({ status: 'succeeded', counts: { fetched: 80 } });
  });
});
