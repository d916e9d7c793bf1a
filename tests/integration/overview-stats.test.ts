import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OverviewStats } from '@/lib/overview-stats';
import { newRunDoc, runs } from '@/lib/runs/store';
import { api, login, type Auth, type ErrorBody } from '../support/api';
import { connectDatabase, createToken } from '../support/database';
import { connect, openSocket, record, subscribe, type ClientSocket } from '../support/realtime';
import { ADMIN, startServer, type TestServer } from '../support/server';

/**
 * GET /api/overview/stats against a real server: per-connector success rates, durations and sparklines over the
 * window, runs per hour, query validation; and that a socket in one connector's room hears only that connector.
 */

let server: TestServer;
let admin: Auth;
let displayToken: string;
/** A reader: display tokens read only what the wall shows, which these figures and connector rooms are not. */
let viewerToken: string;
const sockets: ClientSocket[] = [];
const GOOD = 'stats-good';
const BAD = 'stats-bad';
const fast = { records: 5, pageSize: 5, pageDelayMs: 0 };

beforeAll(async () => {
  server = await startServer();
  admin = { cookie: await login(server.url, ADMIN.email, ADMIN.password) };
  for (const [id, failureRate] of [[GOOD, 0], [BAD, 1]] as const) {
    const created = await api(server.url, '/api/connectors', { auth: admin, body: { id, name: id, kind: 'demo', config: { ...fast, failureRate }, schedules: [] } });
    expect(created.status).toBe(201);
  }
  const database = await connectDatabase(server);
  try {
    displayToken = (await createToken(database.db, 'display')).token;
    viewerToken = (await createToken(database.db, 'viewer')).token;
    // A success 10 days ago lies outside the 7-day window and must not lift the failing connector's rate.
    const old = new Date(Date.now() - 10 * 86_400_000);
    await runs(database.db).insertOne(newRunDoc({ _id: `${BAD}:manual:old`, connectorId: BAD, trigger: 'manual', initiatedBy: 'tests', status: 'succeeded', queuedAt: old, startedAt: old, finishedAt: old, durationMs: 5 }));
  } finally {
    await database.close();
  }
});

afterAll(async () => {
  for (const s of sockets) s.disconnect();
  const result = await server?.dispose();
  expect(result?.orphans ?? []).toEqual([]);
});

describe('GET /api/overview/stats', () => {
  it('gives success rates, durations and sparklines per connector, and runs per hour by outcome', async () => {
    for (let i = 0; i < 2; i++) {
      for (const id of [GOOD, BAD]) {
        const res = await api<{ status: string }>(server.url, `/api/connectors/${id}/run?wait=true`, { method: 'POST', auth: admin });
        expect(res.body.status).toBe(id === GOOD ? 'succeeded' : 'failed');
      }
    }
    const res = await api<OverviewStats>(server.url, '/api/overview/stats?days=7&hours=6&sparkline=1', { auth: { token: viewerToken } });
    expect(res.status).toBe(200);
    const stats = res.body;
    expect(stats.window.days).toBe(7);
    expect(stats.truncated).toBe(false);
    const good = stats.connectors.find((c) => c.connectorId === GOOD)!;
    const bad = stats.connectors.find((c) => c.connectorId === BAD)!;
    expect(good).toMatchObject({ decided: 2, succeeded: 2, successRate: 1 });
    expect(bad).toMatchObject({ decided: 2, succeeded: 0, successRate: 0 });
    expect(good.recent).toHaveLength(1);
    expect(good.recent[0]).toMatchObject({ status: 'succeeded', durationMs: expect.any(Number) });
    expect(good.p95Ms).toBeGreaterThanOrEqual(good.p50Ms!);

    expect(stats.hourly).toHaveLength(6);
    const sum = (key: 'succeeded' | 'failed' | 'other') => stats.hourly.reduce((total, h) => total + h[key], 0);
    expect(sum('succeeded')).toBe(2);
    expect(sum('failed')).toBe(2);
    expect(sum('other')).toBe(0);
    expect(Date.parse(stats.hourly.at(-1)!.hour)).toBeLessThanOrEqual(Date.parse(stats.window.to));
  });

  it('names the field and the rule for a bad query, and rejects unknown parameters', async () => {
    const bad = await api<ErrorBody>(server.url, '/api/overview/stats?days=0&hours=abc', { auth: admin });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('bad_request');
    expect(bad.body.error.fields).toEqual(
      expect.arrayContaining([
        { path: 'days', message: 'must be at least 1' },
        { path: 'hours', message: 'must be a number' },
      ]),
    );
    const unknown = await api<ErrorBody>(server.url, '/api/overview/stats?window=7', { auth: admin });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.fields).toEqual([{ path: 'window', message: 'is not a known field' }]);
    const tooMany = await api<ErrorBody>(server.url, '/api/overview/stats?sparkline=101', { auth: admin });
    expect(tooMany.body.error.fields).toEqual([{ path: 'sparkline', message: 'must be at most 100' }]);
  });

  it('needs a signed-in user or a token', async () => {
    const res = await api<ErrorBody>(server.url, '/api/overview/stats');
    expect(res.status).toBe(401);
  });
});

describe('GET /api/metrics', () => {
  it('gives administrators the memory of the instance, and nobody else', async () => {
    const res = await api<{ memory: { heapUsed: number; rss: number }; collected: boolean; uptimeS: number }>(server.url, '/api/metrics', { auth: admin });
    expect(res.status).toBe(200);
    expect(res.body.memory.heapUsed).toBeGreaterThan(0);
    expect(res.body.memory.rss).toBeGreaterThanOrEqual(res.body.memory.heapUsed);
    expect(res.body.collected).toBe(false); // not asked to collect
    expect((await api(server.url, '/api/metrics', { auth: { token: displayToken } })).status).toBe(403);
    const bad = await api<ErrorBody>(server.url, '/api/metrics?gc=yes', { auth: admin });
    expect(bad.body.error.fields).toEqual([{ path: 'gc', message: 'must be true or false' }]);
  });
});

describe('rooms', () => {
  it("a socket in one connector's room hears that connector and the heartbeats, not the other connectors", async () => {
    const open = async (rooms: Parameters<typeof subscribe>[1]) => {
      const s = openSocket(server.url, { token: viewerToken });
      sockets.push(s);
      const events = record(s);
      await connect(s);
      await subscribe(s, rooms);
      return events;
    };
    const narrow = await open([`connector:${GOOD}`]);
    const wide = await open(['overview']);
    const other = await api<{ runId: string }>(server.url, `/api/connectors/${BAD}/run`, { method: 'POST', auth: admin });
    const mine = await api<{ runId: string }>(server.url, `/api/connectors/${GOOD}/run`, { method: 'POST', auth: admin });
    expect([other.status, mine.status]).toEqual([202, 202]);
    // Both runs end; the overview socket hears both, the connector socket only its own.
    await wide.waitFor('sync:finish', (e) => e.runId === other.body.runId);
    await wide.waitFor('sync:finish', (e) => e.runId === mine.body.runId);
    await narrow.waitFor('sync:finish', (e) => e.runId === mine.body.runId);
    await narrow.waitFor('heartbeat');
    expect(narrow.ofRun(other.body.runId)).toEqual([]);
    expect(narrow.events.filter((e) => e.event !== 'heartbeat').every((e) => (e.payload as { connectorId: string }).connectorId === GOOD)).toBe(true);
    // The overview room gets no log lines; the connector room does.
    expect(wide.events.some((e) => e.event === 'sync:log')).toBe(false);
    expect(narrow.ofRun(mine.body.runId).some((e) => e.event === 'sync:log')).toBe(true);
  });
});
