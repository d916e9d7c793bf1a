import type { Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunDoc } from '@/lib/runs/store';
import { api, eventually, type Auth } from '../support/api';
import { connectDatabase, createToken, type TestDatabase } from '../support/database';
import { startServer, type TestServer } from '../support/server';

/**
 * Each policy on the real server and database. Intervals of a few seconds (the test server allows 1 s) and a
 * demo connector whose run takes a known number of pages make overlaps happen on purpose.
 */

let server: TestServer;
let database: TestDatabase;
let db: Db;
let admin: Auth;

beforeAll(async () => {
  server = await startServer({ env: { SCHEDULE_INTERVAL_MIN_S: '1', RUN_LEASE_MS: '6000' } });
  database = await connectDatabase(server);
  db = database.db;
  admin = { token: (await createToken(db, 'admin')).token };
});

afterAll(async () => {
  await database?.close();
  const stopped = await server?.dispose();
  expect(stopped?.orphans ?? []).toEqual([]);
});

let seq = 0;
/** Creates a demo connector; `pages` × `pageDelayMs` is roughly how long one run takes. */
async function connector(options: { everySeconds?: number; schedules?: object[]; pages?: number; pageDelayMs?: number; policies?: Record<string, unknown>; config?: Record<string, unknown> }) {
  const id = `pol-${++seq}-${Date.now().toString(36)}`;
  const pages = options.pages ?? 1;
  const res = await api(server.url, '/api/connectors', {
    auth: admin,
    body: {
      id,
      name: id,
      kind: 'demo',
      config: { records: pages, pageSize: 1, pageDelayMs: options.pageDelayMs ?? 10, failureRate: 0, ...options.config },
      schedules: options.schedules ?? (options.everySeconds ? [{ id: 'fast', type: 'interval', everySeconds: options.everySeconds }] : []),
      policies: { minGapSeconds: 0, ...options.policies },
    },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return id;
}

const runsOf = (connectorId: string) => db.collection<RunDoc>('runs').find({ connectorId }).sort({ queuedAt: 1 }).toArray();
const disable = (id: string) => api(server.url, `/api/connectors/${id}/disable`, { auth: admin, body: {} });
const finished = (runs: RunDoc[]) => runs.filter((r) => !['queued', 'running'].includes(r.status));

describe('overlap', () => {
  it('skip: a slot that comes while the previous run is going is recorded as skipped, with the reason', async () => {
    const id = await connector({ everySeconds: 1, pages: 30, pageDelayMs: 100 }); // ~3 s runs, 1 s slots
    const runs = await eventually(async () => {
      const all = await runsOf(id);
      return all.some((r) => r.status === 'succeeded') && all.filter((r) => r.status === 'skipped').length >= 2 && all;
    }, { timeoutMs: 30_000, what: 'a finished run and two skips' });
    await disable(id);
    const skipped = runs.filter((r) => r.status === 'skipped');
    expect(skipped[0]!.reason).toMatch(/previous run .* was still running/);
    expect(skipped[0]!.trigger).toBe('scheduled');
    expect(skipped[0]!._id).toBe(`${id}:fast:${skipped[0]!.slot!.toISOString()}`);
    // Never two runs at once.
    const executed = runs.filter((r) => r.startedAt && r.finishedAt);
    for (let i = 1; i < executed.length; i++) expect(executed[i]!.startedAt!.getTime()).toBeGreaterThanOrEqual(executed[i - 1]!.finishedAt!.getTime() - 50);
  });

  it('queue-one: one run waits behind the running one and starts when it ends; further slots are skipped', async () => {
    const id = await connector({ everySeconds: 1, pages: 25, pageDelayMs: 100, policies: { overlap: 'queue-one' } });
    const runs = await eventually(async () => {
      const all = await runsOf(id);
      const queuedRan = all.find((r) => r.waitingFor && r.status === 'succeeded');
      return queuedRan && all;
    }, { timeoutMs: 40_000, what: 'a queued run that ran' });
    await disable(id);
    const queued = runs.find((r) => r.waitingFor && r.status === 'succeeded')!;
    const before = runs.find((r) => r._id === queued.waitingFor)!;
    expect(queued.startedAt!.getTime()).toBeGreaterThanOrEqual(before.finishedAt!.getTime());
    expect(runs.some((r) => r.status === 'skipped' && /already queued behind it/.test(r.reason ?? ''))).toBe(true);
  });

  it('cancel-running: the running run is cancelled by the scheduler and the new slot runs', async () => {
    const id = await connector({ everySeconds: 2, pages: 60, pageDelayMs: 100, policies: { overlap: 'cancel-running' } });
    const runs = await eventually(async () => {
      const all = await runsOf(id);
      return all.some((r) => r.status === 'cancelled') && all.filter((r) => r.status === 'running' || r.status === 'cancelled').length >= 2 && all;
    }, { timeoutMs: 30_000, what: 'a cancelled run followed by a new one' });
    await disable(id);
    const cancelled = runs.find((r) => r.status === 'cancelled')!;
    expect(cancelled.cancelledBy).toBe('scheduler (overlap policy cancel-running)');
    expect(cancelled.error?.kind).toBe('cancelled');
  });
});

describe('two schedules of one connector due at once', () => {
  it('one runs, the other is recorded skipped with the reason; never two runs of the connector at once', async () => {
    // Every 2 s and every 4 s: both are due at each multiple of 4 s. A run takes about half a second.
    const id = await connector({
      schedules: [
        { id: 'often', type: 'interval', everySeconds: 2 },
        { id: 'rarely', type: 'interval', everySeconds: 4 },
      ],
      pages: 5,
      pageDelayMs: 100,
    });
    const from = Math.ceil((Date.now() + 3000) / 4000) * 4000;
    const both = [0, 1, 2].map((i) => new Date(from + i * 4000));
    const runs = await eventually(
      async () => {
        const all = await runsOf(id);
        const decided = all.filter((r) => r.slot && both.some((t) => t.getTime() === r.slot!.getTime()) && !['queued', 'running'].includes(r.status));
        return decided.length === both.length * 2 && all;
      },
      { timeoutMs: 40_000, what: 'both schedules decided at three shared slots' },
    );
    await disable(id);
    for (const at of both) {
      const pair = runs.filter((r) => r.slot?.getTime() === at.getTime() && !r._id.includes('~'));
      expect(pair.map((r) => [r.scheduleId, r.status]).sort()).toEqual([
        ['often', 'succeeded'],
        ['rarely', 'skipped'],
      ]);
      const skipped = pair.find((r) => r.status === 'skipped')!;
      expect(skipped.reason).toBe(`previous run ${id}:often:${at.toISOString()} was still running`);
      expect(skipped.trigger).toBe('scheduled');
    }
    const executed = runs.filter((r) => r.startedAt && r.finishedAt).sort((a, b) => a.startedAt!.getTime() - b.startedAt!.getTime());
    for (let i = 1; i < executed.length; i++) expect(executed[i]!.startedAt!.getTime()).toBeGreaterThanOrEqual(executed[i - 1]!.finishedAt!.getTime() - 50);
  });
});

describe('minimum gap', () => {
  it('skips a scheduled slot that comes too soon after a manual run', async () => {
    const id = await connector({ everySeconds: 2, policies: { minGapSeconds: 3600 } });
    const manual = await api<{ status: string }>(server.url, `/api/connectors/${id}/run?wait=true`, { auth: admin, body: {} });
    expect(manual.body.status).toBe('succeeded');
    const skip = await eventually(async () => (await runsOf(id)).find((r) => r.status === 'skipped'), { timeoutMs: 15_000, what: 'a skipped slot' });
    await disable(id);
    expect(skip.reason).toMatch(/previous run started \d+ s before this slot; the minimum gap is 3600 s/);
    expect((await runsOf(id)).filter((r) => r.trigger === 'scheduled' && r.status === 'succeeded')).toEqual([]);
  });
});

describe('retries', () => {
  it('retries a transient failure with backoff; every attempt is its own run linked to the first', async () => {
    const id = await connector({
      config: { failureRate: 1, failureKinds: ['upstream'] },
      policies: { retryAttempts: 2, retryBackoffSeconds: 1, retryMaxBackoffSeconds: 2 },
    });
    const first = await api<{ id: string; status: string; error: { kind: string } }>(server.url, `/api/connectors/${id}/run?wait=true`, { auth: admin, body: {} });
    expect(first.body).toMatchObject({ status: 'failed', error: { kind: 'upstream' } });
    const runs = await eventually(async () => {
      const all = finished(await runsOf(id));
      return all.length === 3 && all;
    }, { timeoutMs: 30_000, what: 'three attempts' }).catch(async (e) => {
      console.log(JSON.stringify(await runsOf(id), null, 1).slice(0, 4000));
      console.log(server.logs().slice(-5000));
      console.log(JSON.stringify(await db.collection('agendaJobs').find({ name: 'sync.run' }).toArray()).slice(0, 3000));
      throw e;
    });
    expect(runs.map((r) => [r.trigger, r.attempt ?? 1, r.status])).toEqual([
      ['manual', 1, 'failed'],
      ['retry', 2, 'failed'],
      ['retry', 3, 'failed'],
    ]);
    expect(runs.slice(1).every((r) => r.firstRunId === first.body.id)).toBe(true);
    expect(runs[1]!._id).toBe(`${first.body.id}~retry-1`);
    // The backoff was honoured: each retry started at least half its delay (equal jitter) after the failure before it.
    expect(runs[1]!.startedAt!.getTime() - runs[0]!.finishedAt!.getTime()).toBeGreaterThanOrEqual(500);
    await new Promise((r) => setTimeout(r, 3000));
    expect(await db.collection('runs').countDocuments({ connectorId: id })).toBe(3); // no fourth attempt
    const status = await api<{ consecutiveFailures: number }>(server.url, `/api/connectors/${id}/status`, { auth: admin });
    expect(status.body.consecutiveFailures).toBe(3);
  });

  it('does not retry a failure that another attempt cannot fix (bad data)', async () => {
    const id = await connector({ config: { failureRate: 1, failureKinds: ['bad-data'] }, policies: { retryAttempts: 3, retryBackoffSeconds: 1 } });
    const first = await api<{ status: string; error: { kind: string } }>(server.url, `/api/connectors/${id}/run?wait=true`, { auth: admin, body: {} });
    expect(first.body).toMatchObject({ status: 'failed', error: { kind: 'bad-data' } });
    await new Promise((r) => setTimeout(r, 2500));
    expect(await db.collection('runs').countDocuments({ connectorId: id })).toBe(1);
  });
});

describe('timeout', () => {
  it('stops a run that outlives its timeout and records it as failed (timeout)', async () => {
    const id = await connector({ pages: 100, pageDelayMs: 100, policies: { timeoutSeconds: 1 } });
    const run = await api<{ status: string; error: { kind: string; message: string }; durationMs: number }>(server.url, `/api/connectors/${id}/run?wait=true`, { auth: admin, body: {} });
    expect(run.body.status).toBe('failed');
    expect(run.body.error).toEqual({ kind: 'timeout', message: 'timed out after 1 s' });
    expect(run.body.durationMs).toBeLessThan(10_000);
  });
});

describe('pause and resume', () => {
  it('while paused no scheduled run starts, manual runs still do, and resume catches up once', async () => {
    const id = await connector({ everySeconds: 1, policies: { missedSlots: 'run-once' } });
    await eventually(async () => (await runsOf(id)).some((r) => r.status === 'succeeded'), { timeoutMs: 15_000, what: 'a first scheduled run' });
    const paused = await api<{ state: string; pausedAt: string }>(server.url, '/api/scheduler/pause', { auth: admin, body: {} });
    expect(paused.body).toMatchObject({ state: 'paused' });
    const pausedAt = new Date(paused.body.pausedAt);
    const overview = await api<{ scheduler: { state: string }; connectors: Array<{ id: string; nextRun: string | null }> }>(server.url, '/api/overview', { auth: admin });
    expect(overview.body.scheduler.state).toBe('paused');
    expect(overview.body.connectors.find((c) => c.id === id)!.nextRun).toBeNull();

    await new Promise((r) => setTimeout(r, 4000));
    const manual = await api<{ status: string }>(server.url, `/api/connectors/${id}/run?wait=true`, { auth: admin, body: {} });
    expect(manual.body.status).toBe('succeeded');
    const resumed = await api<{ state: string; resumedAt: string }>(server.url, '/api/scheduler/resume', { auth: admin, body: {} });
    expect(resumed.body.state).toBe('running');
    const resumedAt = new Date(resumed.body.resumedAt);
    await new Promise((r) => setTimeout(r, 2500));
    await disable(id);

    // The slots that passed while paused (1 s grid) never ran, but for the newest of them: it runs exactly once
    // after the resume, as the catch-up (or under its own job, when that fired right after the resume).
    const newest = Math.floor(resumedAt.getTime() / 1000) * 1000;
    const slotted = (await runsOf(id)).filter((r) => r.slot && r.slot.getTime() > pausedAt.getTime() + 1000 && r.slot.getTime() <= newest);
    const ran = slotted.filter((r) => r.startedAt);
    expect(ran.map((r) => [r.slot!.getTime(), r.status])).toEqual([[newest, 'succeeded']]);
    expect(['catch-up', 'scheduled']).toContain(ran[0]!.trigger);
    expect(ran[0]!.startedAt!.getTime()).toBeGreaterThanOrEqual(resumedAt.getTime() - 50);
    // The others have one record each, skipped as missed.
    const skipped = slotted.filter((r) => !r.startedAt);
    expect(skipped.length).toBeGreaterThanOrEqual(2);
    expect(skipped.every((r) => r.status === 'skipped' && /^missed: /.test(r.reason ?? ''))).toBe(true);
    expect(new Set(slotted.map((r) => r.slot!.getTime())).size).toBe(slotted.length);
  });

  it('only operators and admins may pause; viewers get 403 and the state does not change', async () => {
    const viewer = { token: (await createToken(db, 'viewer')).token };
    const res = await api<{ error: { code: string } }>(server.url, '/api/scheduler/pause', { auth: viewer, body: {} });
    expect(res.status).toBe(403);
    expect((await api<{ state: string }>(server.url, '/api/scheduler', { auth: viewer })).body.state).toBe('running');
  });
});

describe('stats and previews', () => {
  it('answers durations, outcomes and failure streaks for the charts', async () => {
    const id = await connector({ config: { failureRate: 1, failureKinds: ['bad-data'] } });
    for (let i = 0; i < 2; i++) await api(server.url, `/api/connectors/${id}/run?wait=true`, { auth: admin, body: {} });
    await api(server.url, `/api/connectors/${id}`, { method: 'PATCH', auth: admin, body: { config: { records: 1, pageSize: 1, pageDelayMs: 10, failureRate: 0 } } });
    await api(server.url, `/api/connectors/${id}/run?wait=true`, { auth: admin, body: {} });
    const stats = await api<{ byStatus: Record<string, number>; streaks: { current: number; longest: number }; durations: { p50Ms: number; p95Ms: number }; runs: Array<{ failureStreak: number }> }>(
      server.url,
      `/api/connectors/${id}/stats?days=1`,
      { auth: admin },
    );
    expect(stats.status).toBe(200);
    expect(stats.body.byStatus).toEqual({ failed: 2, succeeded: 1 });
    expect(stats.body.streaks).toEqual({ current: 0, longest: 2 });
    expect(stats.body.runs.map((r) => r.failureStreak)).toEqual([1, 2, 0]);
    expect(stats.body.durations.p50Ms).toBeGreaterThanOrEqual(0);
    expect(stats.body.durations.p95Ms).toBeGreaterThanOrEqual(stats.body.durations.p50Ms);
    const bad = await api<{ error: { fields: Array<{ path: string }> } }>(server.url, `/api/connectors/${id}/stats?days=0`, { auth: admin });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields[0]!.path).toBe('days');
  });

  it('previews the next slots of a cron schedule in its time zone', async () => {
    const res = await api<{ slots: string[]; description: string }>(server.url, '/api/schedules/preview', {
      auth: admin,
      body: { schedule: { id: 'p', type: 'cron', cron: '0 8-20/4 * * *', timezone: 'Europe/Berlin' }, count: 4, after: '2026-01-15T00:00:00Z' },
    });
    expect(res.status).toBe(200);
    expect(res.body.slots).toEqual(['2026-01-15T07:00:00.000Z', '2026-01-15T11:00:00.000Z', '2026-01-15T15:00:00.000Z', '2026-01-15T19:00:00.000Z']);
    expect(res.body.description).toContain('Europe/Berlin');
  });

  it('previews intervals down to the configured minimum (SCHEDULE_INTERVAL_MIN_S=1)', async () => {
    const preview = (everySeconds: number) =>
      api<{ slots: string[] }>(server.url, '/api/schedules/preview', {
        auth: admin,
        body: { schedule: { id: 'p', type: 'interval', everySeconds }, count: 2, after: '2026-01-15T00:00:00Z' },
      });
    const res = await preview(1);
    expect(res.status).toBe(200);
    expect(res.body.slots).toEqual(['2026-01-15T00:00:01.000Z', '2026-01-15T00:00:02.000Z']);
    expect((await preview(0)).status).toBe(400);
  });

  it('shows the next slots of every schedule in the status', async () => {
    const id = await connector({ everySeconds: 3600 });
    const status = await api<{ nextRun: string; schedules: Array<{ nextRuns: string[]; description: string }> }>(server.url, `/api/connectors/${id}/status`, { auth: admin });
    await disable(id);
    expect(status.body.schedules[0]!.description).toBe('every 1 h');
    expect(status.body.schedules[0]!.nextRuns).toHaveLength(3);
    expect(status.body.nextRun).toBe(status.body.schedules[0]!.nextRuns[0]);
    expect(new Date(status.body.nextRun).getTime() % 3_600_000).toBe(0);
  });
});
