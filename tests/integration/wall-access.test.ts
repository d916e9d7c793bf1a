import type { Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, eventually, login, type ErrorBody } from '../support/api';
import { connectDatabase, createToken, createUser, revokeToken, type TestDatabase } from '../support/database';
import { connect, openSocket, record, subscribe } from '../support/realtime';
import { startServer, type TestServer } from '../support/server';

/**
 * Display links: `/wall?token=<display token>` trades the token for the wall's cookie, which opens the wall, its
 * reads and the live socket, and nothing else; revoking the token ends all three. One server for the file.
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

/** Opens a display link without following the redirect; answers the response and the cookie it set, if any. */
async function openLink(token: string) {
  const res = await fetch(`${server.url}/wall?token=${encodeURIComponent(token)}`, { redirect: 'manual' });
  const setCookie = res.headers.getSetCookie().find((c) => c.startsWith('syncdeck.display='));
  return { res, setCookie, cookie: setCookie?.split(';')[0] };
}

describe('opening a display link', () => {
  it('sets an httpOnly SameSite=Lax cookie without the token and redirects to a clean /wall', async () => {
    const { token } = await createToken(db, 'display');
    const { res, setCookie, cookie } = await openLink(token);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/wall');
    expect(setCookie).toMatch(/; HttpOnly/);
    expect(setCookie).toMatch(/; SameSite=Lax/);
    expect(setCookie).not.toContain(token);
    expect(setCookie).not.toContain(token.slice(4, 20));

    const wall = await fetch(`${server.url}/wall`, { headers: { cookie: cookie! }, redirect: 'manual' });
    expect(wall.status).toBe(200);
    expect(await wall.text()).toContain('data-testid="wall"');
  });

  it.each([
    ['an unknown token', () => Promise.resolve('sdk_not-a-real-token')],
    ['a viewer token (only display tokens open a wall)', async () => (await createToken(db, 'viewer')).token],
    ['a revoked display token', async () => {
      const { token, id } = await createToken(db, 'display');
      await revokeToken(db, id);
      return token;
    }],
  ])('refuses %s: no cookie, and the wall says the link does not work', async (_what, make) => {
    const { res, setCookie } = await openLink(await make());
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/wall?link=invalid');
    expect(setCookie).toBeUndefined();
    const page = await fetch(`${server.url}/wall?link=invalid`, { redirect: 'manual' });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('data-testid="wall-invalid-link"');
  });

  it('signed-in users of every role open the wall without a link', async () => {
    for (const role of ['viewer', 'operator', 'admin'] as const) {
      const user = await createUser(db, role);
      const cookie = await login(server.url, user.email, user.password);
      const res = await fetch(`${server.url}/wall`, { headers: { cookie }, redirect: 'manual' });
      expect(res.status, role).toBe(200);
      expect(await res.text(), role).toContain('data-testid="wall"');
    }
  });

  it('without a link or session, /wall goes to the login page', async () => {
    const res = await fetch(`${server.url}/wall`, { redirect: 'manual' });
    expect([303, 307]).toContain(res.status);
    expect(res.headers.get('location')).toMatch(/^\/login\?callbackUrl=%2Fwall/);
  });
});

describe('what the display cookie opens', () => {
  it('reads the wall needs, and nothing that writes', async () => {
    const { token, name } = await createToken(db, 'display');
    const { cookie } = await openLink(token);
    const auth = { cookie: cookie! };

    const me = await api<{ kind: string; role: string; label: string }>(server.url, '/api/me', { auth });
    expect(me.body).toMatchObject({ kind: 'token', role: 'display', label: `token:${name}` });
    expect((await api(server.url, '/api/overview', { auth })).status).toBe(200);
    const activity = await api<{ hourly: unknown[] }>(server.url, '/api/activity?hours=24', { auth });
    expect(activity.status).toBe(200);
    expect(activity.body.hourly).toHaveLength(24);

    const create = await api<ErrorBody>(server.url, '/api/connectors', { auth, body: { id: 'from-the-wall', name: 'x', kind: 'demo', config: {} } });
    expect(create.status).toBe(403);
    expect(create.body.error.code).toBe('forbidden');
    expect((await api(server.url, '/api/scheduler/pause', { method: 'POST', auth })).status).toBe(403);
  });

  it('does not open the dashboard pages, and the login page does not bounce it back', async () => {
    const { cookie } = await openLink((await createToken(db, 'display')).token);
    for (const path of ['/', '/runs', '/connectors/anything']) {
      const res = await fetch(`${server.url}${path}`, { headers: { cookie: cookie! }, redirect: 'manual' });
      expect([303, 307], path).toContain(res.status);
      expect(res.headers.get('location'), path).toMatch(/^\/login/);
    }
    const login = await fetch(`${server.url}/login`, { headers: { cookie: cookie! }, redirect: 'manual' });
    expect(login.status).toBe(200);
    // Without OIDC configured, the login page offers the password form only.
    expect(await login.text()).not.toContain('data-testid="login-oidc"');
  });

  it('a cookie with a forged signature opens nothing', async () => {
    const { cookie } = await openLink((await createToken(db, 'display')).token);
    const forged = `${cookie!.slice(0, -2)}${cookie!.endsWith('AA') ? 'BB' : 'AA'}`;
    expect((await api(server.url, '/api/overview', { auth: { cookie: forged } })).status).toBe(401);
    const socket = openSocket(server.url, { cookie: forged });
    await expect(connect(socket)).rejects.toThrow(/unauthorized/);
    socket.close();
  });
});

describe('display credentials read exactly what the wall renders', () => {
  const CONNECTOR = 'wall-scope';
  let runId: string;

  beforeAll(async () => {
    const admin = { token: (await createToken(db, 'admin')).token };
    const created = await api(server.url, '/api/connectors', {
      auth: admin,
      body: { id: CONNECTOR, name: 'Wall scope', kind: 'demo', config: { records: 1, pageDelayMs: 0, failureRate: 0 } },
    });
    expect(created.status).toBe(201);
    const run = await api<{ id: string }>(server.url, `/api/connectors/${CONNECTOR}/run?wait=true`, { method: 'POST', auth: admin });
    expect(run.status).toBe(200);
    runId = run.body.id;
  });

  /** The wall's own reads (what components/wall and the overview hook fetch), and everything else a reader has. */
  const wallReads = () => ['/api/me', '/api/overview', `/api/connectors/${CONNECTOR}/status`, '/api/activity?hours=24'];
  const otherReads = () => [
    '/api/connectors',
    `/api/connectors/${CONNECTOR}`,
    `/api/connectors/${CONNECTOR}/stats`,
    '/api/runs',
    `/api/runs/${encodeURIComponent(runId)}`,
    '/api/openapi.json',
    '/api/overview/stats',
    '/api/scheduler',
    '/api/metrics',
    '/api/audit',
    '/api/users',
    '/api/tokens',
  ];

  it.each([
    ['the wall cookie', async () => ({ cookie: (await openLink((await createToken(db, 'display')).token)).cookie! })],
    ['a display token', async () => ({ token: (await createToken(db, 'display')).token })],
  ])('%s: the wall’s reads answer, configuration, runs, logs and the OpenAPI document are 403', async (_what, credential) => {
    const auth = await credential();
    for (const path of wallReads()) expect((await api(server.url, path, { auth })).status, path).toBe(200);
    for (const path of otherReads()) {
      const res = await api<ErrorBody>(server.url, path, { auth });
      expect(res.status, path).toBe(403);
      expect(res.body.error.code, path).toBe('forbidden');
    }
    const preview = await api(server.url, '/api/schedules/preview', { auth, body: { schedule: { type: 'interval', every: 60 } } });
    expect(preview.status).toBe(403);
  });

  it('what the wall reads carries no connector configuration and no log', async () => {
    const auth = { token: (await createToken(db, 'display')).token };
    const overview = await api<{ connectors: Array<Record<string, unknown>> }>(server.url, '/api/overview', { auth });
    const status = await api<Record<string, unknown>>(server.url, `/api/connectors/${CONNECTOR}/status`, { auth });
    for (const body of [overview.body, status.body]) {
      const text = JSON.stringify(body);
      expect(text).not.toMatch(/"config"|"secrets"|"log"|pageDelayMs/);
    }
    expect(overview.body.connectors.find((c) => c.id === CONNECTOR)).toMatchObject({ name: 'Wall scope', lastRun: { status: 'succeeded' } });
  });

  it('a display socket joins the overview room only: connector and run rooms (which carry logs) are refused', async () => {
    const socket = openSocket(server.url, { cookie: (await openLink((await createToken(db, 'display')).token)).cookie! });
    await connect(socket);
    expect(await subscribe(socket, ['overview'])).toEqual(['overview']);
    await expect(subscribe(socket, [`connector:${CONNECTOR}`])).rejects.toThrow(/forbidden/);
    await expect(subscribe(socket, [`run:${runId}` as const])).rejects.toThrow(/forbidden/);
    socket.close();
  });

  it('a viewer still reads configuration, runs with logs and the OpenAPI document', async () => {
    const viewer = await createUser(db, 'viewer');
    const auth = { cookie: await login(server.url, viewer.email, viewer.password) };
    for (const path of [...wallReads(), ...otherReads().slice(0, 8)]) expect((await api(server.url, path, { auth })).status, path).toBe(200);
    const run = await api<{ log: unknown[] }>(server.url, `/api/runs/${encodeURIComponent(runId)}`, { auth });
    expect(Array.isArray(run.body.log)).toBe(true);
    const socket = openSocket(server.url, { cookie: auth.cookie });
    await connect(socket);
    expect(await subscribe(socket, [`connector:${CONNECTOR}`, `run:${runId}` as const])).toHaveLength(2);
    socket.close();
  });
});

describe('revoking a display token', () => {
  it('ends REST reads (401), disconnects the live socket, and refuses its reconnect', async () => {
    const { token, id } = await createToken(db, 'display');
    const { cookie } = await openLink(token);
    const auth = { cookie: cookie! };

    const socket = openSocket(server.url, { cookie: cookie! });
    const events = record(socket);
    await connect(socket);
    expect(await subscribe(socket, ['overview'])).toEqual(['overview']);
    await events.waitFor('heartbeat', () => true, 20_000);
    const disconnected = new Promise<string>((resolve) => socket.once('disconnect', (reason) => resolve(reason)));

    expect((await api(server.url, '/api/overview', { auth })).status).toBe(200);
    await revokeToken(db, id);
    const after = await api<ErrorBody>(server.url, '/api/overview', { auth });
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('unauthorized');

    expect(await disconnected).toBe('io server disconnect');
    const again = openSocket(server.url, { cookie: cookie! });
    await expect(connect(again)).rejects.toThrow(/unauthorized/);
    again.close();
    socket.close();
  });

  it('leaves other tokens’ sockets connected', async () => {
    const keep = await createToken(db, 'display');
    const gone = await createToken(db, 'display');
    const kept = openSocket(server.url, { cookie: (await openLink(keep.token)).cookie! });
    const cut = openSocket(server.url, { cookie: (await openLink(gone.token)).cookie! });
    await Promise.all([connect(kept), connect(cut)]);
    const keptEvents = record(kept);
    await subscribe(kept, ['overview']);
    const cutOff = new Promise<void>((resolve) => cut.once('disconnect', () => resolve()));
    await revokeToken(db, gone.id);
    await cutOff;
    // Heartbeats keep coming on the other socket after the revocation check has run.
    const heartbeats = () => keptEvents.events.filter((e) => e.event === 'heartbeat').length;
    const seen = heartbeats();
    await eventually(() => heartbeats() >= seen + 2, { what: 'heartbeats after the cut-off', timeoutMs: 20_000 });
    expect(kept.connected).toBe(true);
    kept.close();
    cut.close();
  });
});
