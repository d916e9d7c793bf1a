import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorBodySchema } from '@/lib/api/errors';
import { operations, type Method } from '@/lib/api/openapi/registry';
import { createDemoSourceKey } from '@/lib/demo-source/key';
import { api, eventually, login, type Auth } from '../support/api';
import { connectDatabase, createToken, type TestDatabase } from '../support/database';
import { ADMIN, startServer, type TestServer } from '../support/server';

/**
 * The OpenAPI document against real answers: every main route's answer, from a real server with real runs, parses
 * with the answer schema the document is generated from (strict objects: a field the document does not name fails),
 * and the document the server serves names each of those operations.
 */

const FAST = { records: 40, pageSize: 10, pageDelayMs: 20, failureRate: 0 };
const FAILING = { records: 20, pageSize: 10, pageDelayMs: 0, failureRate: 1 };
/** Still running when the test looks at it; the test cancels it. */
const SLOW = { records: 3000, pageSize: 10, pageDelayMs: 200, failureRate: 0 };
const SCHEDULES = [
  { id: 'hourly', type: 'interval', everySeconds: 3600 },
  { id: 'daily', type: 'cron', cron: '0 6 * * *', timezone: 'Europe/Berlin' },
];

let server: TestServer;
let database: TestDatabase;
let admin: Auth;
let served: { paths: Record<string, Record<string, { operationId?: string }>> };

beforeAll(async () => {
  server = await startServer({ env: { SECRETS_KEY: randomBytes(32).toString('base64'), SYNCDECK_DEMO: 'true' } });
  database = await connectDatabase(server);
  admin = { cookie: await login(server.url, ADMIN.email, ADMIN.password) };
});

afterAll(async () => {
  await database?.close();
  const result = await server?.dispose();
  expect(result?.orphans ?? []).toEqual([]);
});

/**
 * Calls a route and checks its answer against the registry's schema for that operation and status: `template` is
 * the documented path (`/api/runs/{id}`), `path` the one called. Answers the parsed body.
 */
async function call<T = unknown>(
  method: Method,
  template: string,
  options: { path?: string; auth?: Auth; body?: unknown; headers?: Record<string, string> } = {},
): Promise<T> {
  const operation = operations.find((op) => op.method === method && op.path === template);
  if (!operation) throw new Error(`${method} ${template} is not in the registry`);
  const res = await api(server.url, options.path ?? template, { method: method.toUpperCase(), auth: options.auth ?? admin, body: options.body, headers: options.headers });
  const success = operation.success[res.status as keyof typeof operation.success];
  expect(success, `${method} ${template} answered ${res.status}: ${JSON.stringify(res.body).slice(0, 500)}`).toBeDefined();
  if (!success!.schema) return res.body as T;
  const parsed = success!.schema.safeParse(res.body);
  expect(parsed.error?.issues ?? [], `${method} ${template} ${res.status}`).toEqual([]);
  if (served) expect(served.paths[template]?.[method]?.operationId, `${method} ${template} in the served document`).toBe(operation.operationId);
  return res.body as T;
}

describe('real answers match the document', () => {
  it('the document itself', async () => {
    served = await call('get', '/api/openapi.json');
    expect(Object.keys(served.paths).length).toBeGreaterThan(20);
  });

  it('connectors: create, list, one, change, enable, disable', async () => {
    await call('post', '/api/connectors', { body: { id: 'doc-demo', name: 'Doc demo', kind: 'demo', config: FAST, schedules: SCHEDULES } });
    await call('post', '/api/connectors', { body: { id: 'doc-failing', name: 'Doc failing', kind: 'demo', config: FAILING, enabled: false } });
    await call('post', '/api/connectors', { body: { id: 'doc-slow', name: 'Doc slow', kind: 'demo', config: SLOW, enabled: false } });
    await call('post', '/api/connectors', {
      body: {
        id: 'doc-http',
        name: 'Doc HTTP',
        kind: 'http-json',
        config: { url: 'http://127.0.0.1:9/records', auth: { type: 'bearer' }, destination: { collection: 'doc_http' } },
        secrets: { token: 'doc-secret-value-1' },
        enabled: false,
      },
    });
    const list = await call<{ connectors: Array<{ id: string }> }>('get', '/api/connectors');
    expect(list.connectors.map((c) => c.id)).toEqual(expect.arrayContaining(['doc-demo', 'doc-http']));
    const http = await call<{ secrets: Record<string, unknown> }>('get', '/api/connectors/{id}', { path: '/api/connectors/doc-http' });
    expect(Object.keys(http.secrets)).toEqual(['token']);
    await call('patch', '/api/connectors/{id}', { path: '/api/connectors/doc-http', body: { description: 'changed', policies: { retryAttempts: 2 } } });
    await call('post', '/api/connectors/{id}/disable', { path: '/api/connectors/doc-demo/disable' });
    await call('post', '/api/connectors/{id}/enable', { path: '/api/connectors/doc-demo/enable' });
  });

  it('runs: run now (waited, queued), a run going, a failed run, the history, one run, cancel', async () => {
    const finished = await call<{ id: string; status: string; log: unknown[] }>('post', '/api/connectors/{id}/run', { path: '/api/connectors/doc-demo/run?wait=true&timeout=120' });
    expect(finished.status).toBe('succeeded');
    expect(finished.log.length).toBeGreaterThan(0);
    const failed = await call<{ status: string; error?: unknown }>('post', '/api/connectors/{id}/run', { path: '/api/connectors/doc-failing/run?wait=true&timeout=120' });
    expect(failed).toMatchObject({ status: 'failed', error: expect.anything() });

    const queued = await call<{ runId: string }>('post', '/api/connectors/{id}/run', { path: '/api/connectors/doc-slow/run' });
    await eventually(async () => {
      const status = await api<{ running: { status: string } | null }>(server.url, '/api/connectors/doc-slow/status', { auth: admin });
      return status.body.running?.status === 'running';
    });
    await call('get', '/api/connectors/{id}/status', { path: '/api/connectors/doc-slow/status' });
    const going = await call<{ status: string }>('get', '/api/runs/{id}', { path: `/api/runs/${encodeURIComponent(queued.runId)}` });
    expect(going.status).toBe('running');
    await call('post', '/api/connectors/{id}/cancel', { path: '/api/connectors/doc-slow/cancel' });
    await eventually(async () => (await call<{ status: string }>('get', '/api/runs/{id}', { path: `/api/runs/${encodeURIComponent(queued.runId)}` })).status === 'cancelled');

    const page = await call<{ runs: unknown[] }>('get', '/api/runs', { path: '/api/runs?limit=2' });
    expect(page.runs).toHaveLength(2);
    await call('get', '/api/runs/{id}', { path: `/api/runs/${encodeURIComponent(finished.id)}` });
  });

  it('status, stats, overview, activity', async () => {
    const status = await call<{ lastRun: unknown; schedules: unknown[] }>('get', '/api/connectors/{id}/status', { path: '/api/connectors/doc-demo/status' });
    expect(status.lastRun).not.toBeNull();
    expect(status.schedules).toHaveLength(2);
    await call('get', '/api/connectors/{id}/stats', { path: '/api/connectors/doc-failing/stats?days=2' });
    const overview = await call<{ connectors: unknown[]; instances: unknown[] }>('get', '/api/overview');
    expect(overview.instances.length).toBeGreaterThan(0);
    await call('get', '/api/overview/stats');
    await call('get', '/api/activity', { path: '/api/activity?hours=2' });
  });

  it('scheduler: view, pause, resume, schedule preview', async () => {
    await call('get', '/api/scheduler');
    await call('post', '/api/scheduler/pause');
    await call('post', '/api/scheduler/resume');
    await call('post', '/api/schedules/preview', { body: { schedule: { id: 'p', type: 'cron', cron: '*/15 * * * *', timezone: 'UTC' }, count: 3 } });
  });

  it('access: me, health, metrics, users, tokens, audit', async () => {
    await call('get', '/api/me');
    const display = await createToken(database.db, 'display');
    await call('get', '/api/me', { auth: { token: display.token } });
    await call('get', '/api/health', { auth: undefined });
    await call('get', '/api/metrics');
    await call('post', '/api/users', { body: { email: 'doc-viewer@syncdeck.test', role: 'viewer', password: 'doc-viewer-password-1' } });
    const users = await call<{ users: Array<{ id: string; email: string }> }>('get', '/api/users');
    const viewer = users.users.find((u) => u.email === 'doc-viewer@syncdeck.test')!;
    await call('patch', '/api/users/{id}', { path: `/api/users/${viewer.id}`, body: { name: 'Doc Viewer' } });
    const created = await call<{ id: string }>('post', '/api/tokens', { body: { name: 'doc-token', role: 'operator' } });
    await call('get', '/api/tokens');
    await call('delete', '/api/tokens/{id}', { path: `/api/tokens/${created.id}` });
    const audit = await call<{ entries: unknown[] }>('get', '/api/audit', { path: '/api/audit?limit=100' });
    expect(audit.entries.length).toBeGreaterThan(5);
  });

  it('the demo source: a page, and its refusals in the one error shape', async () => {
    const key = await createDemoSourceKey({ db: database.db });
    const calm = 'fail_rate=0&throttle_rate=0&slow_rate=0&outage_rate=0';
    const headers = { 'x-api-key': key };
    const page = await call<{ data: unknown[] }>('get', '/api/demo-source/customers', { path: `/api/demo-source/customers?per_page=5&${calm}`, auth: undefined, headers });
    expect(page.data).toHaveLength(5);
    const throttled = await api(server.url, '/api/demo-source/customers?fail_rate=0&throttle_rate=1&outage_rate=0', { headers });
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('2');
    expect(errorBodySchema.parse(throttled.body).error.code).toBe('rate_limited');
  });

  it('delete answers 204 without a body', async () => {
    const body = await call('delete', '/api/connectors/{id}', { path: '/api/connectors/doc-http' });
    expect(body).toBeNull();
  });
});
