import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, LoginFailed, login, type ErrorBody } from '../support/api';
import { connectDatabase, createToken, createUser, revokeToken, type TestDatabase } from '../support/database';
import { ADMIN, ROOT, startServer, type TestServer } from '../support/server';

/**
 * Authentication and authorization over HTTP: public health, 401 everywhere else, next-auth sessions,
 * API tokens, and the role ladder viewer < operator < admin. One server for the whole file.
 */

let server: TestServer;
let database: TestDatabase;
let db: Db;

beforeAll(async () => {
  server = await startServer();
  database = await connectDatabase(server);
  db = database.db;
});

afterAll(async () => {
  await database?.close();
  const result = await server?.dispose();
  expect(result?.orphans ?? []).toEqual([]);
});

/** Every API route and its methods, read from app/api so new routes are covered without editing this test. */
function apiRoutes(): Array<{ method: string; path: string }> {
  const found: Array<{ method: string; path: string }> = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const full = path.join(dir, entry);
      if (statSync(full).isDirectory()) walk(full);
      else if (entry === 'route.ts') {
        const source = readFileSync(full, 'utf8');
        const methods = new Set<string>();
        for (const m of source.matchAll(/export\s+(?:const|async\s+function|function)\s+(GET|POST|PUT|PATCH|DELETE)\b/g)) methods.add(m[1]!);
        for (const m of source.matchAll(/\bas\s+(GET|POST|PUT|PATCH|DELETE)\b/g)) methods.add(m[1]!);
        const urlPath = path
          .relative(path.join(ROOT, 'app'), path.dirname(full))
          .split(path.sep)
          .filter((part) => !/^\(.*\)$/.test(part))
          .map((part) => (part.startsWith('[') ? 'demo-x' : part))
          .join('/');
        for (const method of methods) found.push({ method, path: `/${urlPath}` });
      }
    }
  };
  walk(path.join(ROOT, 'app', 'api'));
  return found;
}

const PUBLIC = (route: { path: string }) => route.path === '/api/health' || route.path.startsWith('/api/auth/');

describe('without credentials', () => {
  it('health is public and minimal', async () => {
    const res = await api(server.url, '/api/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', database: { status: 'ok', since: expect.any(String) } });
    expect(res.headers.get('cache-control')).toContain('no-store');
  });

  it('finds the API routes to check', () => {
    const paths = apiRoutes().map((r) => `${r.method} ${r.path}`);
    expect(paths).toEqual(expect.arrayContaining(['GET /api/connectors', 'POST /api/connectors', 'POST /api/connectors/demo-x/run', 'GET /api/runs']));
  });

  it('every other API route answers 401 with the one error shape', async () => {
    const routes = apiRoutes().filter((r) => !PUBLIC(r));
    const failures: string[] = [];
    for (const route of routes) {
      const res = await api<ErrorBody>(server.url, route.path, { method: route.method, ...(route.method === 'GET' ? {} : { body: {} }) });
      if (res.status !== 401 || res.body?.error?.code !== 'unauthorized' || typeof res.body.error.message !== 'string') {
        failures.push(`${route.method} ${route.path} -> ${res.status} ${JSON.stringify(res.body).slice(0, 120)}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('a forged session cookie or an unknown token is not enough', async () => {
    const forged = await api<ErrorBody>(server.url, '/api/me', { auth: { cookie: 'next-auth.session-token=eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0.x.y.z.w' } });
    expect(forged.status).toBe(401);
    const unknown = await api<ErrorBody>(server.url, '/api/me', { auth: { token: 'sdk_not-a-real-token' } });
    expect(unknown.status).toBe(401);
    expect(unknown.body.error.code).toBe('unauthorized');
  });
});

describe('sessions (next-auth credentials)', () => {
  it('logging in gives a cookie that works on /api/me', async () => {
    const cookie = await login(server.url, ADMIN.email, ADMIN.password);
    const me = await api<{ kind: string; label: string; role: string; can: Record<string, boolean> }>(server.url, '/api/me', { auth: { cookie } });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ kind: 'user', label: ADMIN.email, role: 'admin' });
    expect(me.body.can).toMatchObject({ run: true, editConnectors: true });
  });

  it('accepts the email in any case', async () => {
    const cookie = await login(server.url, ADMIN.email.toUpperCase(), ADMIN.password);
    expect((await api(server.url, '/api/me', { auth: { cookie } })).status).toBe(200);
  });

  it('a wrong password or an unknown user gets no session', async () => {
    await expect(login(server.url, ADMIN.email, 'wrong-password-123456')).rejects.toBeInstanceOf(LoginFailed);
    await expect(login(server.url, 'nobody@syncdeck.test', ADMIN.password)).rejects.toBeInstanceOf(LoginFailed);
  });

  it('a disabled user loses access on the next request', async () => {
    const user = await createUser(db, 'viewer');
    const cookie = await login(server.url, user.email, user.password);
    expect((await api(server.url, '/api/me', { auth: { cookie } })).status).toBe(200);
    await db.collection('users').updateOne({ email: user.email }, { $set: { disabled: true } });
    expect((await api(server.url, '/api/me', { auth: { cookie } })).status).toBe(401);
  });
});

describe('API tokens', () => {
  it('a bearer token works and a revoked one gets 401', async () => {
    const { token, id, name } = await createToken(db, 'operator');
    const me = await api<{ kind: string; label: string; role: string }>(server.url, '/api/me', { auth: { token } });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ kind: 'token', label: `token:${name}`, role: 'operator' });

    await revokeToken(db, id);
    const after = await api<ErrorBody>(server.url, '/api/me', { auth: { token } });
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('unauthorized');
  });

  it('display tokens read but do not act', async () => {
    const { token } = await createToken(db, 'display');
    expect((await api(server.url, '/api/overview', { auth: { token } })).status).toBe(200);
    expect((await api(server.url, '/api/connectors/anything/run', { method: 'POST', auth: { token } })).status).toBe(403);
  });
});

describe('roles', () => {
  const connectorId = 'roles-demo';
  const newConnector = (id: string) => ({ id, name: `Roles ${id}`, kind: 'demo', config: { records: 10, pageSize: 10, pageDelayMs: 0, failureRate: 0 } });
  let admin: string;

  beforeAll(async () => {
    admin = await login(server.url, ADMIN.email, ADMIN.password);
    const created = await api(server.url, '/api/connectors', { auth: { cookie: admin }, body: newConnector(connectorId) });
    expect(created.status).toBe(201);
  });

  it('a viewer reads but gets 403 on run, cancel, enable and create', async () => {
    const viewer = await createUser(db, 'viewer');
    const cookie = await login(server.url, viewer.email, viewer.password);
    expect((await api(server.url, '/api/connectors', { auth: { cookie } })).status).toBe(200);
    expect((await api(server.url, `/api/connectors/${connectorId}/status`, { auth: { cookie } })).status).toBe(200);
    for (const action of ['run', 'cancel', 'enable', 'disable']) {
      const res = await api<ErrorBody>(server.url, `/api/connectors/${connectorId}/${action}`, { method: 'POST', auth: { cookie } });
      expect(res.status, action).toBe(403);
      expect(res.body.error.code).toBe('forbidden');
    }
    const create = await api<ErrorBody>(server.url, '/api/connectors', { auth: { cookie }, body: newConnector('viewer-made') });
    expect(create.status).toBe(403);
    const runs = await api<{ runs: unknown[] }>(server.url, `/api/runs?connectorId=${connectorId}`, { auth: { cookie } });
    expect(runs.body.runs).toEqual([]);
  });

  it('an operator may run but not create, edit or delete connectors', async () => {
    const operator = await createUser(db, 'operator');
    const cookie = await login(server.url, operator.email, operator.password);
    const run = await api<{ status: string; initiatedBy: string }>(server.url, `/api/connectors/${connectorId}/run?wait=true`, { method: 'POST', auth: { cookie } });
    expect(run.status).toBe(200);
    expect(run.body).toMatchObject({ status: 'succeeded', initiatedBy: operator.email });

    expect((await api(server.url, '/api/connectors', { auth: { cookie }, body: newConnector('operator-made') })).status).toBe(403);
    expect((await api(server.url, `/api/connectors/${connectorId}`, { method: 'PATCH', auth: { cookie }, body: { name: 'Renamed' } })).status).toBe(403);
    expect((await api(server.url, `/api/connectors/${connectorId}`, { method: 'DELETE', auth: { cookie } })).status).toBe(403);
    expect((await api(server.url, `/api/connectors/${connectorId}/disable`, { method: 'POST', auth: { cookie } })).status).toBe(200);
    expect((await api(server.url, `/api/connectors/${connectorId}/enable`, { method: 'POST', auth: { cookie } })).status).toBe(200);
  });

  it('only an admin may create connectors', async () => {
    const res = await api<{ id: string }>(server.url, '/api/connectors', { auth: { cookie: admin }, body: newConnector('admin-made') });
    expect(res.status).toBe(201);
    expect(res.body.id).toBe('admin-made');
    const list = await api<{ connectors: Array<{ id: string }> }>(server.url, '/api/connectors', { auth: { cookie: admin } });
    expect(list.body.connectors.map((c) => c.id)).toEqual(expect.arrayContaining(['admin-made', connectorId]));
    expect(list.body.connectors.map((c) => c.id)).not.toContain('viewer-made');
    expect(list.body.connectors.map((c) => c.id)).not.toContain('operator-made');
  });

  it('roles are read fresh: a demoted user loses rights at once', async () => {
    const user = await createUser(db, 'operator');
    const cookie = await login(server.url, user.email, user.password);
    await db.collection('users').updateOne({ email: user.email }, { $set: { role: 'viewer' } });
    expect((await api(server.url, `/api/connectors/${connectorId}/run`, { method: 'POST', auth: { cookie } })).status).toBe(403);
  });
});
