import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { api, login, type Auth } from '../support/api';
import { connectDatabase, createToken, revokeToken } from '../support/database';
import { connect, openSocket, record, subscribe, type ClientSocket } from '../support/realtime';
import { ADMIN, startServer, type TestServer } from '../support/server';

/**
 * The Socket.IO contract against a real server: refused without credentials, accepted with the page session or
 * an API token, and the sync:start → sync:progress → sync:finish sequence of a run started over REST.
 */

let server: TestServer;
let cookie: string;
let admin: Auth;
let token: string;
let revokedToken: string;
const sockets: ClientSocket[] = [];
const CONNECTOR = 'live-demo';

function socket(auth: { cookie?: string; token?: string } = {}): ClientSocket {
  const s = openSocket(server.url, auth);
  sockets.push(s);
  return s;
}

beforeAll(async () => {
  server = await startServer();
  cookie = await login(server.url, ADMIN.email, ADMIN.password);
  admin = { cookie };
  const database = await connectDatabase(server);
  try {
    token = (await createToken(database.db, 'display')).token;
    const revoked = await createToken(database.db, 'viewer');
    await revokeToken(database.db, revoked.id);
    revokedToken = revoked.token;
  } finally {
    await database.close();
  }
  const created = await api(server.url, '/api/connectors', {
    auth: admin,
    body: { id: CONNECTOR, name: 'Live demo', kind: 'demo', config: { records: 60, pageSize: 10, pageDelayMs: 100, failureRate: 0 } },
  });
  expect(created.status).toBe(201);
});

afterEach(() => {
  for (const s of sockets.splice(0)) s.disconnect();
});

afterAll(async () => {
  const result = await server?.dispose();
  expect(result?.orphans ?? []).toEqual([]);
});

describe('handshake', () => {
  it('refuses a connection without credentials', async () => {
    await expect(connect(socket())).rejects.toThrow('unauthorized');
  });

  it('refuses a forged cookie, an unknown token and a revoked token', async () => {
    await expect(connect(socket({ cookie: 'next-auth.session-token=forged' }))).rejects.toThrow('unauthorized');
    await expect(connect(socket({ token: 'sdk_unknown' }))).rejects.toThrow('unauthorized');
    await expect(connect(socket({ token: revokedToken }))).rejects.toThrow('unauthorized');
  });

  it('accepts the page session cookie', async () => {
    const s = socket({ cookie });
    await connect(s);
    expect(s.connected).toBe(true);
  });

  it('accepts an API token (auth.token), even a display token', async () => {
    const s = socket({ token });
    await connect(s);
    expect(s.connected).toBe(true);
  });

  it('rejects subscriptions to rooms that do not exist', async () => {
    const s = socket({ cookie });
    await connect(s);
    await expect(subscribe(s, ['everything' as never])).rejects.toThrow(/subscribe refused/);
    await expect(subscribe(s, ['overview', `connector:${CONNECTOR}`])).resolves.toEqual(['overview', `connector:${CONNECTOR}`]);
  });
});

describe('live events', () => {
  it('heartbeats reach the overview room', async () => {
    const s = socket({ token });
    const events = record(s);
    await connect(s);
    await subscribe(s, ['overview']);
    const beat = await events.waitFor('heartbeat', () => true, 30_000);
    expect(beat).toMatchObject({ scheduler: 'running', db: { ok: true } });
    expect(typeof beat.instanceId).toBe('string');
    expect(Number.isNaN(Date.parse(beat.at))).toBe(false);
    expect(beat.uptimeS).toBeGreaterThanOrEqual(0);
    expect(beat.runningRuns).toBeGreaterThanOrEqual(0);
  });

  it('a run started over REST shows sync:start, sync:progress and sync:finish in order, with fresh counts each run', async () => {
    const s = socket({ cookie });
    const events = record(s);
    await connect(s);
    await subscribe(s, ['overview']);

    for (const attempt of [1, 2]) {
      const started = await api<{ runId: string }>(server.url, `/api/connectors/${CONNECTOR}/run`, { method: 'POST', auth: admin });
      expect(started.status).toBe(202);
      const { runId } = started.body;
      const finish = await events.waitFor('sync:finish', (e) => e.runId === runId);

      const sequence = events.ofRun(runId);
      const names = sequence.map((e) => e.event);
      expect(names[0], `attempt ${attempt}`).toBe('sync:start');
      expect(names.at(-1)).toBe('sync:finish');
      expect(names.filter((n) => n === 'sync:start')).toHaveLength(1);
      expect(names.filter((n) => n === 'sync:finish')).toHaveLength(1);
      expect(names).toContain('sync:progress');
      // The overview room does not get log lines (they go to connector and run rooms).
      expect(names).not.toContain('sync:log');
      for (const e of sequence) expect(e.payload).toMatchObject({ runId, connectorId: CONNECTOR });

      const start = sequence[0]!.payload as { trigger: string; initiatedBy: string; startedAt: string };
      expect(start).toMatchObject({ trigger: 'manual', initiatedBy: ADMIN.email });
      const progress = sequence.filter((e) => e.event === 'sync:progress').map((e) => e.payload as { done: number; total?: number; counts: { fetched: number } });
      const done = progress.map((p) => p.done);
      expect(done).toEqual([...done].sort((a, b) => a - b));
      expect(progress.at(-1)).toMatchObject({ done: 60, total: 60 });
      expect(progress.every((p) => p.counts.fetched <= 60)).toBe(true);

      expect(finish).toMatchObject({ status: 'succeeded', counts: { fetched: 60, failed: 0 } });
      expect(finish.durationMs).toBeGreaterThanOrEqual(0);
      expect(finish).not.toHaveProperty('error');
    }
  });

  it('the overview hears of a run\'s progress once a second, ending with its newest; its own rooms hear of every one', async () => {
    const created = await api(server.url, '/api/connectors', {
      auth: admin,
      body: { id: 'live-steady', name: 'Live steady', kind: 'demo', config: { records: 30, pageSize: 2, pageDelayMs: 100, failureRate: 0 } },
    });
    expect(created.status).toBe(201);
    const overviewOnly = socket({ token });
    const connectorOnly = socket({ cookie });
    const both = socket({ cookie });
    const seen = [overviewOnly, connectorOnly, both].map((s) => record(s));
    await Promise.all([overviewOnly, connectorOnly, both].map((s) => connect(s)));
    await subscribe(overviewOnly, ['overview']);
    await subscribe(connectorOnly, ['connector:live-steady']);
    await subscribe(both, ['overview', 'connector:live-steady']);

    const started = await api<{ runId: string }>(server.url, '/api/connectors/live-steady/run', { method: 'POST', auth: admin });
    expect(started.status).toBe(202);
    const { runId } = started.body;
    await Promise.all(seen.map((events) => events.waitFor('sync:finish', (e) => e.runId === runId)));
    const [overview, connector, inBoth] = seen.map((events) => events.ofRun(runId).filter((e) => e.event !== 'sync:log'));
    const progressOf = (sequence: typeof overview) => sequence!.filter((e) => e.event === 'sync:progress').map((e) => e.payload as { done: number; at: string });

    // The overview's figures came at least a second apart (sent times, stamped by the server), but for the last:
    // what was held back goes out as soon as the run finishes.
    const stamps = progressOf(overview).map((p) => Date.parse(p.at));
    expect(stamps.length).toBeGreaterThan(0);
    for (let i = 1; i < stamps.length - 1; i++) expect(stamps[i]! - stamps[i - 1]!).toBeGreaterThanOrEqual(990);
    // Both end with the run's last figures, then its finish.
    for (const sequence of [overview, connector]) {
      expect(sequence!.at(-1)!.event).toBe('sync:finish');
      expect(sequence!.at(-2)).toMatchObject({ event: 'sync:progress', payload: { done: 30, total: 30 } });
    }
    expect(progressOf(connector).length).toBeGreaterThanOrEqual(progressOf(overview).length);
    // A socket in both rooms gets each event once: what the connector room got, nothing held back for the overview.
    expect(inBoth).toEqual(connector);
  });

  it('a failed run ends with sync:finish carrying its status and error', async () => {
    const created = await api(server.url, '/api/connectors', {
      auth: admin,
      body: { id: 'live-fails', name: 'Live fails', kind: 'demo', config: { records: 20, pageSize: 10, pageDelayMs: 0, failureRate: 1 } },
    });
    expect(created.status).toBe(201);
    const s = socket({ cookie });
    const events = record(s);
    await connect(s);
    await subscribe(s, ['overview']);
    const started = await api<{ runId: string }>(server.url, '/api/connectors/live-fails/run', { method: 'POST', auth: admin });
    expect(started.status).toBe(202);
    const finish = await events.waitFor('sync:finish', (e) => e.runId === started.body.runId, 30_000);
    expect(finish.status).toBe('failed');
    expect(finish.error).toMatchObject({ kind: expect.any(String), message: expect.any(String) });
  });

  it('the connector room also gets the run log lines; nothing carries secrets', async () => {
    const s = socket({ cookie });
    const events = record(s);
    await connect(s);
    await subscribe(s, [`connector:${CONNECTOR}`]);
    const started = await api<{ runId: string }>(server.url, `/api/connectors/${CONNECTOR}/run`, { method: 'POST', auth: admin });
    const { runId } = started.body;
    await events.waitFor('sync:finish', (e) => e.runId === runId);
    const logs = events.ofRun(runId).filter((e) => e.event === 'sync:log');
    expect(logs.length).toBeGreaterThan(0);
    expect(logs[0]!.payload).toMatchObject({ level: 'info', message: expect.stringContaining('manual run started') });
    // Heartbeats reach every socket (each page's connection indicator needs them), without joining the overview.
    await events.waitFor('heartbeat', () => true, 30_000);
    const wire = JSON.stringify(events.events);
    expect(wire).not.toContain(ADMIN.password);
    expect(wire).not.toMatch(/session-token|sdk_/);
  });

  it('a connector change is announced', async () => {
    const s = socket({ token });
    const events = record(s);
    await connect(s);
    await subscribe(s, ['overview']);
    const res = await api(server.url, `/api/connectors/${CONNECTOR}`, { method: 'PATCH', auth: admin, body: { description: 'changed live' } });
    expect(res.status).toBe(200);
    const update = await events.waitFor('connector:updated', (e) => e.connectorId === CONNECTOR);
    expect(update).toMatchObject({ connectorId: CONNECTOR, description: 'changed live' });
  });
});
