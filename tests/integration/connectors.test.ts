import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, eventually, login, type Auth, type ErrorBody } from '../support/api';
import { connectDatabase, createToken } from '../support/database';
import { ADMIN, startServer, type TestServer } from '../support/server';

/**
 * Connectors and runs over REST against a real server: validation that names fields and changes nothing,
 * run-now (with and without wait), conflicts, run records, history pagination and cancellation.
 */

interface Connector {
  id: string;
  name: string;
  config: Record<string, unknown>;
  schedules: unknown[];
}
interface Run {
  id: string;
  connectorId: string;
  status: string;
  trigger: string;
  initiatedBy: string;
  queuedAt: string;
  counts: { fetched: number; created: number; updated: number; unchanged: number; skipped: number; failed: number };
  cancelledBy?: string;
  durationMs?: number;
  log?: Array<{ at: string; level: string; message: string }>;
}

const FAST = { records: 60, pageSize: 10, pageDelayMs: 100, failureRate: 0 };
/** Long enough to still be running when the test acts on it (about 60 s); always cancelled by the test. */
const SLOW = { records: 3000, pageSize: 10, pageDelayMs: 200, failureRate: 0 };

let server: TestServer;
let admin: Auth;

const connectorInput = (id: string, overrides: Record<string, unknown> = {}) => ({
  id,
  name: `Test ${id}`,
  kind: 'demo',
  config: FAST,
  schedules: [{ id: 'daily', type: 'cron', cron: '0 6 * * *', timezone: 'America/New_York' }],
  ...overrides,
});

async function createConnector(id: string, overrides: Record<string, unknown> = {}): Promise<Connector> {
  const res = await api<Connector>(server.url, '/api/connectors', { auth: admin, body: connectorInput(id, overrides) });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

async function connectorIds(): Promise<string[]> {
  const res = await api<{ connectors: Connector[] }>(server.url, '/api/connectors', { auth: admin });
  expect(res.status).toBe(200);
  return res.body.connectors.map((c) => c.id);
}

const getRun = async (id: string) => (await api<Run>(server.url, `/api/runs/${encodeURIComponent(id)}`, { auth: admin })).body;

const FINISHED = ['succeeded', 'failed', 'cancelled', 'skipped', 'interrupted'];
const waitForStatus = (id: string, statuses: string[]) =>
  eventually(async () => {
    const run = await getRun(id);
    return statuses.includes(run.status) ? run : undefined;
  }, { timeoutMs: 90_000, what: `run ${id} to be ${statuses.join(' or ')}` });

beforeAll(async () => {
  server = await startServer();
  admin = { cookie: await login(server.url, ADMIN.email, ADMIN.password) };
});

afterAll(async () => {
  const result = await server?.dispose();
  expect(result?.orphans ?? []).toEqual([]);
});

describe('bad input gets 400 naming the field and changes nothing', () => {
  it.each([
    ['a bad cron', { schedules: [{ id: 'a', type: 'cron', cron: '61 * * * *' }] }, 'schedules.0.cron'],
    ['a cron with six fields', { schedules: [{ id: 'a', type: 'cron', cron: '0 0 6 * * *' }] }, 'schedules.0.cron'],
    ['an unknown time zone', { schedules: [{ id: 'a', type: 'cron', cron: '0 6 * * *', timezone: 'America/Springfield' }] }, 'schedules.0.timezone'],
    ['an interval of 5 s', { schedules: [{ id: 'a', type: 'interval', everySeconds: 5 }] }, 'schedules.0.everySeconds'],
    ['duplicate schedule ids', { schedules: [{ id: 'a', type: 'interval', everySeconds: 60 }, { id: 'a', type: 'interval', everySeconds: 120 }] }, 'schedules.1.id'],
    ['a bad config value', { config: { ...FAST, pageSize: 0 } }, 'config.pageSize'],
    ['an unknown kind', { kind: 'ftp' }, 'kind'],
    ['a bad id', { id: 'Not An Id' }, 'id'],
  ] as Array<[string, Record<string, unknown>, string]>)('%s', async (_what, overrides, path) => {
    const id = typeof overrides.id === 'string' ? overrides.id : `bad-${path.replace(/\W/g, '-')}`.toLowerCase();
    const res = await api<ErrorBody>(server.url, '/api/connectors', { auth: admin, body: connectorInput(id, overrides) });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('bad_request');
    expect(res.body.error.fields?.map((f) => f.path)).toContain(path);
    expect(res.body.error.fields?.every((f) => f.message.length > 0)).toBe(true);
    expect(await connectorIds()).not.toContain(id);
  });

  it('an unknown field is rejected and named', async () => {
    const res = await api<ErrorBody>(server.url, '/api/connectors', { auth: admin, body: connectorInput('bad-unknown', { color: 'red' }) });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('color');
    expect(await connectorIds()).not.toContain('bad-unknown');
  });

  it('a body that is not JSON is rejected', async () => {
    const res = await api<ErrorBody>(server.url, '/api/connectors', { auth: admin, body: '{"id": "bad-json",' });
    expect(res.status).toBe(400);
    expect(res.body.error.fields).toEqual([{ path: '(body)', message: 'must be JSON' }]);
    expect(await connectorIds()).not.toContain('bad-json');
  });

  it('a duplicate id gets 409 and leaves the first connector as it was', async () => {
    await createConnector('dup');
    const res = await api<ErrorBody>(server.url, '/api/connectors', { auth: admin, body: connectorInput('dup', { name: 'Second' }) });
    expect(res.status).toBe(409);
    expect((await api<Connector>(server.url, '/api/connectors/dup', { auth: admin })).body.name).toBe('Test dup');
  });

  it('PATCH with a bad schedule gets 400 and changes nothing', async () => {
    await createConnector('patch-schedule');
    const res = await api<ErrorBody>(server.url, '/api/connectors/patch-schedule', {
      method: 'PATCH',
      auth: admin,
      body: { name: 'Renamed', schedules: [{ id: 'a', type: 'interval', everySeconds: 5 }] },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.fields?.map((f) => f.path)).toContain('schedules.0.everySeconds');
    const after = (await api<Connector>(server.url, '/api/connectors/patch-schedule', { auth: admin })).body;
    expect(after.name).toBe('Test patch-schedule');
    expect(after.schedules).toHaveLength(1);
  });

  it('PATCH with a bad config gets 400 naming config.pageSize and changes nothing', async () => {
    await createConnector('patch-config');
    const res = await api<ErrorBody>(server.url, '/api/connectors/patch-config', {
      method: 'PATCH',
      auth: admin,
      body: { config: { ...FAST, pageSize: 0 } },
    });
    expect(res.status).toBe(400);
    expect(res.body.error?.fields?.map((f) => f.path)).toContain('config.pageSize');
    const after = (await api<Connector>(server.url, '/api/connectors/patch-config', { auth: admin })).body;
    expect(after.config).toMatchObject({ pageSize: 10 });
  });

  it('unknown connectors and runs answer 404', async () => {
    expect((await api<ErrorBody>(server.url, '/api/connectors/nope', { auth: admin })).body.error.code).toBe('not_found');
    expect((await api(server.url, '/api/connectors/nope/run', { method: 'POST', auth: admin })).status).toBe(404);
    expect((await api(server.url, '/api/runs/nope', { auth: admin })).status).toBe(404);
  });
});

describe('running a connector', () => {
  const id = 'run-now';
  beforeAll(async () => {
    await createConnector(id);
  });

  it('POST run?wait=true answers 200 with the finished run, its counts and log', async () => {
    const res = await api<Run>(server.url, `/api/connectors/${id}/run?wait=true`, { method: 'POST', auth: admin });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ connectorId: id, status: 'succeeded', trigger: 'manual', initiatedBy: ADMIN.email });
    expect(res.body.counts).toMatchObject({ fetched: 60, created: 60, failed: 0 });
    expect(res.body.durationMs).toBeGreaterThanOrEqual(0);
    expect(res.body.log?.length).toBeGreaterThan(0);
    expect(res.body.log?.map((l) => l.message).join('\n')).toMatch(/manual run started by admin@syncdeck\.test/);
  });

  it('counts are per run, never accumulated', async () => {
    const res = await api<Run>(server.url, `/api/connectors/${id}/run?wait=true`, { method: 'POST', auth: admin });
    expect(res.status).toBe(200);
    expect(res.body.counts.fetched).toBe(60);
    expect(res.body.counts.created).toBe(0);
    expect(res.body.counts.updated + res.body.counts.unchanged).toBe(60);
  });

  it('a page of hundreds of records already stored is written again and counted, not left hanging', async () => {
    // The embedded FerretDB never answers an update command of 100 statements or more; the destination slices them.
    await createConnector('big-page', { config: { records: 300, pageSize: 300, pageDelayMs: 0, failureRate: 0, churn: 1 } });
    for (const attempt of [1, 2]) {
      const res = await api<Run>(server.url, '/api/connectors/big-page/run?wait=true', { method: 'POST', auth: admin });
      expect(res.status, `attempt ${attempt}`).toBe(200);
      expect(res.body.status).toBe('succeeded');
      expect(res.body.counts.fetched).toBe(300);
      expect(res.body.counts.created + res.body.counts.updated + res.body.counts.unchanged).toBe(300);
      if (attempt === 2) expect(res.body.counts.created).toBe(0);
    }
  });

  it('POST run answers 202 with the run id; a second run-now while it runs gets 409', async () => {
    const first = await api<{ runId: string }>(server.url, `/api/connectors/${id}/run`, { method: 'POST', auth: admin });
    expect(first.status).toBe(202);
    expect(first.headers.get('location')).toBe(`/api/runs/${encodeURIComponent(first.body.runId)}`);
    const second = await api<ErrorBody>(server.url, `/api/connectors/${id}/run`, { method: 'POST', auth: admin });
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe('conflict');

    const run = await waitForStatus(first.body.runId, FINISHED);
    expect(run).toMatchObject({ status: 'succeeded', trigger: 'manual', initiatedBy: ADMIN.email });
  });

  it('the run records say manual and who started them', async () => {
    const list = await api<{ runs: Run[] }>(server.url, `/api/runs?connectorId=${id}&trigger=manual`, { auth: admin });
    expect(list.body.runs.length).toBeGreaterThanOrEqual(3);
    for (const run of list.body.runs) expect(run).toMatchObject({ trigger: 'manual', initiatedBy: ADMIN.email });
    expect(list.body.runs[0]).not.toHaveProperty('log');
  });

  it('a run started with an API token is labelled with the token name', async () => {
    const database = await connectDatabase(server);
    try {
      const { token, name } = await createToken(database.db, 'operator');
      const res = await api<Run>(server.url, `/api/connectors/${id}/run?wait=true`, { method: 'POST', auth: { token } });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ trigger: 'manual', initiatedBy: `token:${name}`, status: 'succeeded' });
    } finally {
      await database.close();
    }
  });

  it('the status shows the last run and the totals', async () => {
    type Status = { totalRuns: number; lastRun: Run | null; running: Run | null; consecutiveFailures: number; lastSuccess: string | null };
    const last = (await api<{ runs: Run[] }>(server.url, `/api/runs?connectorId=${id}&limit=1`, { auth: admin })).body.runs[0]!;
    const status = await eventually(async () => {
      const res = await api<Status>(server.url, `/api/connectors/${id}/status`, { auth: admin });
      return res.status === 200 && res.body.lastRun?.id === last.id ? res.body : undefined;
    }, { what: 'the connector status to show the latest run' });
    expect(status.totalRuns).toBeGreaterThanOrEqual(3);
    expect(status.running).toBeNull();
    expect(status.lastRun?.status).toBe('succeeded');
    expect(status.consecutiveFailures).toBe(0);
    expect(status.lastSuccess).not.toBeNull();
  });
});

describe('failing runs', () => {
  const id = 'always-fails';
  beforeAll(async () => {
    await createConnector(id, { config: { records: 20, pageSize: 10, pageDelayMs: 0, failureRate: 1 } });
  });

  it('a failed run is recorded with its error and counted in the failure streak', async () => {
    const first = await api<Run & { error?: { kind: string; message: string } }>(server.url, `/api/connectors/${id}/run?wait=true`, { method: 'POST', auth: admin });
    expect(first.status).toBe(200);
    expect(first.body.status).toBe('failed');
    expect(['upstream', 'network', 'rate-limited', 'bad-data']).toContain(first.body.error?.kind);
    const second = await api<Run>(server.url, `/api/connectors/${id}/run?wait=true`, { method: 'POST', auth: admin });
    expect(second.body.status).toBe('failed');

    type Status = { totalRuns: number; lastRun: Run | null; consecutiveFailures: number; longestFailureStreak: number; lastError: unknown };
    const status = await eventually(async () => {
      const res = await api<Status>(server.url, `/api/connectors/${id}/status`, { auth: admin });
      return res.body.lastRun?.id === second.body.id ? res.body : undefined;
    }, { what: 'the connector status to show the second failed run' });
    expect(status).toMatchObject({ totalRuns: 2, consecutiveFailures: 2, longestFailureStreak: 2 });
    expect(status.lastError).toMatchObject({ kind: expect.any(String), message: expect.any(String) });
  });
});

describe('run history', () => {
  const id = 'history';
  const runIds: string[] = [];

  beforeAll(async () => {
    await createConnector(id, { config: { ...FAST, records: 5, pageSize: 5, pageDelayMs: 0 } });
    for (let i = 0; i < 5; i++) {
      const res = await api<Run>(server.url, `/api/connectors/${id}/run?wait=true`, { method: 'POST', auth: admin });
      expect(res.status).toBe(200);
      runIds.unshift(res.body.id);
    }
  });

  it('pages newest first with a next cursor until the end', async () => {
    const seen: string[] = [];
    let before: string | null = null;
    let pages = 0;
    do {
      const query: string = `/api/runs?connectorId=${id}&limit=2${before ? `&before=${encodeURIComponent(before)}` : ''}`;
      const page = await api<{ runs: Run[]; next: string | null }>(server.url, query, { auth: admin });
      expect(page.status).toBe(200);
      expect(page.body.runs.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.runs.map((r) => r.id));
      before = page.body.next;
      pages++;
    } while (before && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toEqual(runIds);
  });

  it('filters by status and trigger', async () => {
    const ok = await api<{ runs: Run[] }>(server.url, `/api/runs?connectorId=${id}&status=succeeded`, { auth: admin });
    expect(ok.body.runs.map((r) => r.id)).toEqual(runIds);
    const failed = await api<{ runs: Run[] }>(server.url, `/api/runs?connectorId=${id}&status=failed`, { auth: admin });
    expect(failed.body.runs).toEqual([]);
    const scheduled = await api<{ runs: Run[] }>(server.url, `/api/runs?connectorId=${id}&trigger=scheduled`, { auth: admin });
    expect(scheduled.body.runs).toEqual([]);
  });

  it('keeps runs queued in a time window: after (inclusive) and before', async () => {
    const all = (await api<{ runs: Run[] }>(server.url, `/api/runs?connectorId=${id}`, { auth: admin })).body.runs;
    const [newest, second, third] = all;
    const window = async (query: string) =>
      (await api<{ runs: Run[] }>(server.url, `/api/runs?connectorId=${id}&${query}`, { auth: admin })).body.runs.map((r) => r.id);
    expect(await window(`after=${encodeURIComponent(second!.queuedAt)}`)).toEqual([newest!.id, second!.id]);
    expect(await window(`after=${encodeURIComponent(third!.queuedAt)}&before=${encodeURIComponent(newest!.queuedAt)}`)).toEqual([second!.id, third!.id]);
    // The next cursor of a page stays inside the window.
    const page = await api<{ runs: Run[]; next: string | null }>(server.url, `/api/runs?connectorId=${id}&after=${encodeURIComponent(third!.queuedAt)}&limit=2`, { auth: admin });
    expect(page.body.runs.map((r) => r.id)).toEqual([newest!.id, second!.id]);
    expect(await window(`after=${encodeURIComponent(third!.queuedAt)}&before=${encodeURIComponent(page.body.next!)}`)).toEqual([third!.id]);
  });

  it.each([
    ['before=yesterday', 'before'],
    ['after=yesterday', 'after'],
    ['after=2026-01-02T00:00:00Z&before=2026-01-01T00:00:00Z', 'after'],
    ['limit=0', 'limit'],
    ['limit=1000', 'limit'],
    ['status=done', 'status'],
  ])('rejects %s naming %s', async (query, path) => {
    const res = await api<ErrorBody>(server.url, `/api/runs?${query}`, { auth: admin });
    expect(res.status).toBe(400);
    expect(res.body.error.fields?.map((f) => f.path)).toContain(path);
  });
});

describe('cancelling', () => {
  const id = 'cancel-me';
  beforeAll(async () => {
    await createConnector(id, { config: SLOW });
  });

  it('cancel with nothing running gets 409', async () => {
    const res = await api<ErrorBody>(server.url, `/api/connectors/${id}/cancel`, { method: 'POST', auth: admin });
    expect(res.status).toBe(409);
  });

  it('cancel of a running run ends it cancelled with cancelledBy', async () => {
    const start = await api<{ runId: string }>(server.url, `/api/connectors/${id}/run`, { method: 'POST', auth: admin });
    expect(start.status).toBe(202);
    await waitForStatus(start.body.runId, ['running']);

    const cancel = await api<{ runId: string }>(server.url, `/api/connectors/${id}/cancel`, { method: 'POST', auth: admin });
    expect(cancel.status).toBe(202);
    expect(cancel.body.runId).toBe(start.body.runId);

    const run = await waitForStatus(start.body.runId, FINISHED);
    expect(run.status).toBe('cancelled');
    expect(run.cancelledBy).toBe(ADMIN.email);
    expect(run.counts.fetched).toBeLessThan(SLOW.records);

    // The connector's figures are written right after the run record; wait for them rather than race them.
    const status = await eventually(async () => {
      const res = await api<{ running: Run | null; lastRun: Run | null }>(server.url, `/api/connectors/${id}/status`, { auth: admin });
      return res.body.lastRun?.id === start.body.runId ? res.body : undefined;
    }, { what: 'the connector status to show the cancelled run' });
    expect(status.running).toBeNull();
    expect(status.lastRun?.status).toBe('cancelled');
  });
});

describe('configured interval bounds (SCHEDULE_INTERVAL_MIN_S=120)', () => {
  let bounded: TestServer;
  let auth: Auth;

  beforeAll(async () => {
    bounded = await startServer({ env: { SCHEDULE_INTERVAL_MIN_S: '120', SYNCDECK_DEMO: 'false' } });
    auth = { cookie: await login(bounded.url, ADMIN.email, ADMIN.password) };
  });

  afterAll(async () => {
    const result = await bounded?.dispose();
    expect(result?.orphans ?? []).toEqual([]);
  });

  const schedule = (everySeconds: number) => ({ id: 'often', type: 'interval', everySeconds });

  it('create refuses 60 s in one 400 naming every failing field, and accepts 120 s', async () => {
    const body = { ...connectorInput('too-often', { schedules: [schedule(60)] }), name: '' };
    const res = await api<ErrorBody>(bounded.url, '/api/connectors', { auth, body });
    expect(res.status).toBe(400);
    expect(res.body.error.fields).toEqual([
      { path: 'name', message: 'must not be empty' },
      { path: 'schedules.0.everySeconds', message: 'must be at least 120 seconds' },
    ]);
    expect(res.body.error.message).toContain('schedules.0.everySeconds: must be at least 120 seconds');
    const ok = await api<Connector>(bounded.url, '/api/connectors', { auth, body: connectorInput('often-enough', { schedules: [schedule(120)], enabled: false }) });
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
  });

  it('PATCH refuses 60 s and keeps the saved schedule', async () => {
    const res = await api<ErrorBody>(bounded.url, '/api/connectors/often-enough', { method: 'PATCH', auth, body: { schedules: [schedule(60)] } });
    expect(res.status).toBe(400);
    expect(res.body.error.fields).toEqual([{ path: 'schedules.0.everySeconds', message: 'must be at least 120 seconds' }]);
    const after = await api<Connector>(bounded.url, '/api/connectors/often-enough', { auth });
    expect(after.body.schedules).toEqual([expect.objectContaining({ everySeconds: 120 })]);
  });

  it('the schedule preview refuses 60 s and previews 120 s', async () => {
    const preview = (everySeconds: number) =>
      api<ErrorBody & { slots: string[] }>(bounded.url, '/api/schedules/preview', { auth, body: { schedule: schedule(everySeconds), count: 2, after: '2026-01-15T00:00:00Z' } });
    const refused = await preview(60);
    expect(refused.status).toBe(400);
    expect(refused.body.error.fields).toEqual([{ path: 'schedule.everySeconds', message: 'must be at least 120 seconds' }]);
    const ok = await preview(120);
    expect(ok.status).toBe(200);
    expect(ok.body.slots).toEqual(['2026-01-15T00:02:00.000Z', '2026-01-15T00:04:00.000Z']);
  });
});
