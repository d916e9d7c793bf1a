import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, eventually, type Auth } from '../support/api';
import { connectDatabase, type TestDatabase } from '../support/database';
import { record, watchConnectorsAsAdmin, type ClientSocket } from '../support/realtime';
import { ROOT, startServer, type TestServer } from '../support/server';

/**
 * The command connector kind on the real server: real Python 3 programs from tests/fixtures, speaking the JSON-lines
 * protocol, failing, ignoring SIGTERM. Secrets go in as environment variables and never come out.
 */

const SECRET = 'cmd-secret-9f8e7d6c5b4a';
const SCRIPT = path.join(ROOT, 'tests/fixtures/sync_script.py');
const STUBBORN = path.join(ROOT, 'tests/fixtures/stubborn_script.py');
const PYTHON = execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();

let server: TestServer;
let database: TestDatabase;
let db: Db;
let admin: Auth;
let socket: ClientSocket;
let events: ReturnType<typeof record>;
let scratch: string;

interface Run {
  id: string;
  status: string;
  counts: Record<'fetched' | 'created' | 'updated' | 'unchanged' | 'skipped' | 'failed', number>;
  progress?: { done: number; total?: number; phase?: string };
  error?: { kind: string; message: string };
  log?: Array<{ level: string; message: string }>;
}

const IDS = ['cmd-sync', 'cmd-fail', 'cmd-own-error', 'cmd-shell', 'cmd-stubborn', 'cmd-timeout', 'cmd-missing'];

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), 'syncdeck-cmd-'));
  server = await startServer();
  database = await connectDatabase(server);
  db = database.db;
  ({ admin, socket, events } = await watchConnectorsAsAdmin(server.url, db, IDS));
});

afterAll(async () => {
  socket?.close();
  await database?.close();
  const stopped = await server?.dispose();
  await rm(scratch, { recursive: true, force: true });
  expect(stopped?.orphans ?? []).toEqual([]);
});

async function create(id: string, config: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  const res = await api(server.url, '/api/connectors', { auth: admin, body: { id, name: id, kind: 'command', config, ...extra } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  expect(JSON.stringify(res.body)).not.toContain(SECRET);
}

const getRun = async (id: string) => (await api<Run>(server.url, `/api/runs/${encodeURIComponent(id)}`, { auth: admin })).body;
async function run(id: string): Promise<Run> {
  const res = await api<Run>(server.url, `/api/connectors/${id}/run?wait=true`, { method: 'POST', auth: admin });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return getRun(res.body.id);
}
const logText = (run: Run) => (run.log ?? []).map((l) => `${l.level} ${l.message}`).join('\n');
const checkpointOf = async (id: string) => (await db.collection<{ _id: string; json: string }>('checkpoints').findOne({ _id: id }))?.json;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.startsWith('Z');
  } catch {
    return false;
  }
}

describe('a program that speaks the protocol', () => {
  it('runs with the secret as an environment variable, reports progress and counts, and saves its checkpoint', async () => {
    await create('cmd-sync', { command: PYTHON, args: [SCRIPT, '20', '--echo-secret'], secretEnv: { API_TOKEN: 'apiToken' } }, { secrets: { apiToken: SECRET } });
    const done = await run('cmd-sync');
    expect(done.status, JSON.stringify(done.error)).toBe('succeeded');
    expect(done.counts).toMatchObject({ fetched: 20, created: 20, unchanged: 0 });
    expect(done.progress).toMatchObject({ done: 20, total: 20, phase: 'records' });
    const log = logText(done);
    expect(log).toContain('info INFO:sync:starting after record 0 of 20');
    expect(log).toContain(`info token has ${SECRET.length} characters`);
    expect(log).toContain('info connecting with token [redacted]');
    expect(log).toContain('warn WARNING:sync:auth header was Bearer [redacted]');
    expect(log).toContain('info plain stdout line');
    expect(log).toMatch(/warn ignored a protocol line \(done: .*\)/);
    expect(log).not.toContain(SECRET);
    expect(JSON.parse((await checkpointOf('cmd-sync'))!)).toEqual({ last: 20 });
  });

  it('a re-run continues from the checkpoint', async () => {
    const again = await run('cmd-sync');
    expect(again.status).toBe('succeeded');
    expect(again.counts).toMatchObject({ fetched: 0, created: 0 });
    expect(logText(again)).toContain('starting after record 20 of 20');
  });

  it('a non-zero exit fails with the last stderr lines (redacted) and does not save the checkpoint', async () => {
    await create('cmd-fail', { command: PYTHON, args: [SCRIPT, '10', '--fail-at', '5'], secretEnv: { API_TOKEN: 'apiToken' } }, { secrets: { apiToken: SECRET } });
    const failed = await run('cmd-fail');
    expect(failed.status).toBe('failed');
    expect(failed.error!.message).toContain('exited with code 3');
    expect(failed.error!.message).toContain('ERROR:sync:upstream refused record 6 (token [redacted])');
    expect(JSON.stringify(failed)).not.toContain(SECRET);
    expect(await checkpointOf('cmd-fail')).toBeUndefined();
  });

  it("the program's own error report is the run's error, with how it exited as the detail", async () => {
    const program = [
      'import json, sys',
      'print("ERROR:ldap:bind refused", file=sys.stderr, flush=True)',
      'print(json.dumps({"syncdeck": "error", "kind": "auth", "message": "invalid bind credentials"}), flush=True)',
      'sys.exit(3)',
    ].join('\n');
    await create('cmd-own-error', { command: PYTHON, args: ['-c', program] });
    const failed = await run('cmd-own-error');
    expect(failed.status).toBe('failed');
    expect(failed.error).toEqual({ kind: 'auth', message: 'invalid bind credentials (exit code 3)' });
    expect(logText(failed)).toContain('error invalid bind credentials');
  });

  it('passes arguments as they are: no shell, so nothing in them is executed', async () => {
    const marker = path.join(scratch, 'injected');
    const hostile = `$(touch ${marker}); touch ${marker} && \`touch ${marker}\``;
    await create('cmd-shell', { command: PYTHON, args: ['-c', 'import sys; print("ARGS", sys.argv[1:])', hostile, '; rm -rf /tmp/nothing'] });
    const done = await run('cmd-shell');
    expect(done.status).toBe('succeeded');
    expect(logText(done)).toContain(`ARGS ['${hostile}', '; rm -rf /tmp/nothing']`);
    expect(existsSync(marker)).toBe(false);
  });

  it('a program that cannot be started fails as config', async () => {
    await create('cmd-missing', { command: path.join(scratch, 'no-such-program') });
    const failed = await run('cmd-missing');
    expect(failed.error).toMatchObject({ kind: 'config', message: expect.stringContaining('not found') });
  });
});

describe('stopping a program', () => {
  it('cancel sends SIGTERM, then SIGKILL after the grace period to a program that ignores SIGTERM', async () => {
    const pidFile = path.join(scratch, 'stubborn.pid');
    await create('cmd-stubborn', { command: PYTHON, args: [STUBBORN, pidFile], killGraceSeconds: 1 });
    const started = await api<{ runId: string }>(server.url, '/api/connectors/cmd-stubborn/run', { method: 'POST', auth: admin });
    expect(started.status).toBe(202);
    const pid = await eventually(() => existsSync(pidFile) && Number(readFileSync(pidFile, 'utf8')) > 0 && Number(readFileSync(pidFile, 'utf8')), { what: 'the program to start' });
    expect(alive(pid)).toBe(true);
    expect((await api(server.url, '/api/connectors/cmd-stubborn/cancel', { method: 'POST', auth: admin })).status).toBe(202);
    const finished = await eventually(async () => {
      const r = await getRun(started.body.runId);
      return r.status !== 'running' && r.status !== 'queued' && r;
    }, { what: 'the run to end' });
    expect(finished.status).toBe('cancelled');
    await eventually(() => !alive(pid), { what: `process ${pid} to be killed` });
    const log = logText(await getRun(started.body.runId));
    expect(log).toContain('SIGTERM, SIGKILL after 1 s');
    expect(log).toContain('got SIGTERM, ignoring it');
    expect(log).toContain('did not stop within 1 s: SIGKILL');
  });

  it('a timeout stops the program the same way and fails the run as timeout', async () => {
    const pidFile = path.join(scratch, 'timeout.pid');
    await create('cmd-timeout', { command: PYTHON, args: [STUBBORN, pidFile], killGraceSeconds: 1 }, { policies: { timeoutSeconds: 2 } });
    const failed = await run('cmd-timeout');
    expect(failed.error).toMatchObject({ kind: 'timeout' });
    const pid = Number(readFileSync(pidFile, 'utf8'));
    await eventually(() => !alive(pid), { what: `process ${pid} to be killed` });
  });
});

describe('secrets never leave the server', () => {
  it('not in the connector list, socket events or the server log', async () => {
    const list = await api(server.url, '/api/connectors', { auth: admin });
    expect(JSON.stringify(list.body)).not.toContain(SECRET);
    expect(JSON.stringify(list.body)).toContain('"apiToken":{"set":true');
    expect(events.events.some((e) => e.event === 'sync:log')).toBe(true);
    expect(JSON.stringify(events.events)).not.toContain(SECRET);
    expect(server.logs()).not.toContain(SECRET);
  });
});
