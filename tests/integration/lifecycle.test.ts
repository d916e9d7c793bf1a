import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { api, eventually, login, type Auth } from '../support/api';
import { isAlive } from '../support/processes';
import { connect, openSocket, record, subscribe } from '../support/realtime';
import { ADMIN, startServer, type TestServer } from '../support/server';

/**
 * The server process's life: the embedded database it starts goes with it, and a run going when the server
 * stops (gracefully or not) is never left marked running.
 */

interface Run {
  id: string;
  status: string;
  error?: { kind: string; message: string };
}

/** About 60 s of work; the tests stop the server long before it ends. */
const SLOW = { records: 3000, pageSize: 10, pageDelayMs: 200, failureRate: 0 };
const FINISHED = ['succeeded', 'failed', 'cancelled', 'skipped', 'interrupted'];

const servers: TestServer[] = [];
const dataDirs: string[] = [];

async function start(dataDir: string, env: Record<string, string> = {}): Promise<TestServer> {
  const server = await startServer({ dataDir, env });
  servers.push(server);
  return server;
}

async function freshDataDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'syncdeck-lifecycle-'));
  dataDirs.push(dir);
  return dir;
}

/** Creates the slow connector, starts a run and waits until it is running with some progress. */
async function startSlowRun(server: TestServer, auth: Auth): Promise<string> {
  const created = await api(server.url, '/api/connectors', { auth, body: { id: 'slow', name: 'Slow', kind: 'demo', config: SLOW } });
  expect(created.status).toBe(201);
  const started = await api<{ runId: string }>(server.url, '/api/connectors/slow/run', { method: 'POST', auth });
  expect(started.status).toBe(202);
  const { runId } = started.body;
  await eventually(async () => {
    const run = (await api<Run & { progress?: { done: number } }>(server.url, `/api/runs/${encodeURIComponent(runId)}`, { auth })).body;
    return run.status === 'running' && (run.progress?.done ?? 0) > 0;
  }, { timeoutMs: 60_000, what: 'the slow run to be running' });
  return runId;
}

afterEach(async () => {
  for (const server of servers.splice(0)) await server.stop();
});

afterAll(async () => {
  for (const dir of dataDirs) await rm(dir, { recursive: true, force: true });
});

describe('server process', () => {
  it('starts the embedded database as its child and leaves no process behind when stopped', async () => {
    const server = await start(await freshDataDir());
    const children = server.children();
    expect(children.map((c) => c.name)).toContain('embedded-db');
    const result = await server.stop();
    expect(result.exitCode).toBe(0);
    expect(result.orphans).toEqual([]);
    for (const child of children) expect(isAlive(child)).toBe(false);
  });

  it('SIGTERM during a run: the run ends interrupted, not running, and nothing is left behind', async () => {
    const dataDir = await freshDataDir();
    const first = await start(dataDir, { SHUTDOWN_TIMEOUT_MS: '1000' });
    const auth = { cookie: await login(first.url, ADMIN.email, ADMIN.password) };
    const runId = await startSlowRun(first, auth);

    const result = await first.stop();
    expect(result.exitCode).toBe(0);
    expect(result.orphans).toEqual([]);

    // Same data dir, same database: look at what the first server left behind, before any lease could expire.
    const second = await start(dataDir);
    const again = { cookie: await login(second.url, ADMIN.email, ADMIN.password) };
    const run = (await api<Run>(second.url, `/api/runs/${encodeURIComponent(runId)}`, { auth: again })).body;
    expect(FINISHED).toContain(run.status);
    expect(run.status).toBe('interrupted');
    const running = await api<{ runs: Run[] }>(second.url, '/api/runs?status=running', { auth: again });
    expect(running.body.runs).toEqual([]);
    const status = await api<{ running: Run | null; lastRun: Run | null }>(second.url, '/api/connectors/slow/status', { auth: again });
    expect(status.body.running).toBeNull();
    expect(status.body.lastRun?.id).toBe(runId);
  });

  it('a run that outlasts its lease keeps it renewed and is never declared interrupted while it works', async () => {
    const server = await start(await freshDataDir(), { RUN_LEASE_MS: '3000' });
    const auth = { cookie: await login(server.url, ADMIN.email, ADMIN.password) };
    // 8 pages of 1 s: well past the 3 s lease, renewed every 500 ms.
    const created = await api(server.url, '/api/connectors', {
      auth,
      body: { id: 'long', name: 'Long', kind: 'demo', config: { records: 80, pageSize: 10, pageDelayMs: 1000, failureRate: 0 } },
    });
    expect(created.status).toBe(201);
    const socket = openSocket(server.url, auth);
    try {
      const events = record(socket);
      await connect(socket);
      await subscribe(socket, ['connector:long']);
      const started = await api<{ runId: string }>(server.url, '/api/connectors/long/run', { method: 'POST', auth });
      const { runId } = started.body;
      // Past the lease: 60 of 80 records done means about 6 s of work.
      await events.waitFor('sync:progress', (e) => e.runId === runId && e.done >= 60);
      const midway = (await api<Run>(server.url, `/api/runs/${encodeURIComponent(runId)}`, { auth })).body;
      expect(midway.status).toBe('running');
      const finish = await events.waitFor('sync:finish', (e) => e.runId === runId);
      expect(finish.status).toBe('succeeded');
      expect(events.ofRun(runId).filter((e) => e.event === 'sync:finish')).toHaveLength(1);
    } finally {
      socket.disconnect();
    }
  });

  it('SIGKILL during a run: the database helper exits too, and after a restart the run is marked interrupted', async () => {
    const dataDir = await freshDataDir();
    // A short lease, so the restarted server may declare the orphaned run interrupted soon.
    const lease = { RUN_LEASE_MS: '3000' };
    const first = await start(dataDir, lease);
    const auth = { cookie: await login(first.url, ADMIN.email, ADMIN.password) };
    const runId = await startSlowRun(first, auth);
    const children = first.children();
    expect(children.length).toBeGreaterThan(0);

    process.kill(first.pid, 'SIGKILL');
    const result = await first.stop();
    expect(result.signal).toBe('SIGKILL');
    // The helper watches its stdin pipe and exits by itself when its parent dies.
    expect(result.orphans).toEqual([]);

    const second = await start(dataDir, lease);
    const again = { cookie: await login(second.url, ADMIN.email, ADMIN.password) };
    // The dead server's lease on the run has to run out first; then any instance marks it interrupted.
    const run = await eventually(async () => {
      const current = (await api<Run>(second.url, `/api/runs/${encodeURIComponent(runId)}`, { auth: again })).body;
      return current.status !== 'running' && current.status !== 'queued' ? current : undefined;
    }, { timeoutMs: 90_000, everyMs: 1000, what: 'the orphaned run to be marked' });
    expect(run.status).toBe('interrupted');
    expect(run.error?.kind).toBe('interrupted');
  });
});
