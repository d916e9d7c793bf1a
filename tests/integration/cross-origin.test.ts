import type { Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, login, type ErrorBody } from '../support/api';
import { connectDatabase, createToken, type TestDatabase } from '../support/database';
import { connect, openSocket, subscribe } from '../support/realtime';
import { ADMIN, startServer, type TestServer } from '../support/server';

/**
 * The origin rule over real HTTP: a state change made with the session cookie counts only when the browser says it
 * comes from Syncdeck's own origin (Origin, else Referer; Sec-Fetch-Site), and its body must be JSON. Bearer tokens
 * are not affected by the origin. The Socket.IO handshake with a cookie follows the same rule. One server.
 */

let server: TestServer;
let database: TestDatabase;
let db: Db;
let cookie: string;
let bearer: { token: string };
/** Another port on the same host: same site, another origin. */
let otherPort: string;

const CONNECTOR = 'origin-target';

beforeAll(async () => {
  server = await startServer();
  database = await connectDatabase(server);
  db = database.db;
  cookie = await login(server.url, ADMIN.email, ADMIN.password);
  bearer = { token: (await createToken(db, 'admin')).token };
  const port = Number(new URL(server.url).port);
  otherPort = `http://127.0.0.1:${port === 65535 ? port - 1 : port + 1}`;
  const created = await api(server.url, '/api/connectors', { auth: bearer, body: { id: CONNECTOR, name: 'Origin target', kind: 'demo', config: { records: 1, pageDelayMs: 0, failureRate: 0 } } });
  expect(created.status).toBe(201);
});

afterAll(async () => {
  await database?.close();
  const result = await server?.dispose();
  expect(result?.orphans ?? []).toEqual([]);
});

/** A request with the admin's session cookie and exactly the headers given (no Origin unless given). */
async function withCookie(path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  const res = await fetch(`${server.url}${path}`, { method: init.method ?? 'POST', headers: { cookie, ...init.headers }, body: init.body, redirect: 'manual' });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON: kept as text.
  }
  return { status: res.status, body: body as ErrorBody };
}

const tokenNames = async () => (await api<{ tokens: Array<{ name: string }> }>(server.url, '/api/tokens', { auth: bearer })).body.tokens.map((t) => t.name);
const runsOf = async (id: string) => (await api<{ runs: unknown[] }>(server.url, `/api/runs?connectorId=${id}`, { auth: bearer })).body.runs;
const json = { 'content-type': 'application/json' };

describe('state changes with the session cookie', () => {
  it.each([
    ['a foreign Origin', { origin: 'http://evil.example' }, /Origin http:\/\/evil\.example is not http:\/\/127\.0\.0\.1/],
    ['another port on the same host', () => ({ origin: otherPort }), /Origin http:\/\/127\.0\.0\.1:\d+ is not/],
    ['Origin: null', { origin: 'null' }, /Origin "null"/],
    ['no Origin and a foreign Referer', { referer: 'http://evil.example/attack.html' }, /Referer http:\/\/evil\.example is not/],
    ['Sec-Fetch-Site: cross-site', { 'sec-fetch-site': 'cross-site' }, /Sec-Fetch-Site is cross-site/],
    ['Sec-Fetch-Site: same-site with a matching Origin', () => ({ 'sec-fetch-site': 'same-site', origin: server.url }), /Sec-Fetch-Site is same-site/],
    ['no Origin, Referer or Sec-Fetch-Site at all', {}, /no Origin, Referer or Sec-Fetch-Site/],
  ])('refuses %s with 403 cross_origin, and creates no token', async (_what, given, reason) => {
    const headers = typeof given === 'function' ? given() : given;
    const name = `forged-${Math.random().toString(36).slice(2)}`;
    const res = await withCookie('/api/tokens', { headers: { ...json, ...headers }, body: JSON.stringify({ name, role: 'admin' }) });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('cross_origin');
    expect(res.body.error.message).toMatch(reason);
    expect(await tokenNames()).not.toContain(name);
  });

  it('refuses the text/plain connector and the form-posted run of the report before anything happens', async () => {
    const evil = { origin: 'http://evil.example' };
    const create = await withCookie('/api/connectors', {
      headers: { ...evil, 'content-type': 'text/plain' },
      body: JSON.stringify({ id: 'forged-command', name: 'x', kind: 'command', config: { command: 'touch', args: ['/tmp/forged'] } }),
    });
    expect(create.status).toBe(403);
    expect((await api(server.url, '/api/connectors/forged-command', { auth: bearer })).status).toBe(404);
    const run = await withCookie(`/api/connectors/${CONNECTOR}/run`, { headers: { ...evil, 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
    expect(run.status).toBe(403);
    expect(await runsOf(CONNECTOR)).toEqual([]);
  });

  it('refuses PATCH and DELETE from another origin too', async () => {
    const evil = { origin: 'http://evil.example', ...json };
    expect((await withCookie(`/api/connectors/${CONNECTOR}`, { method: 'PATCH', headers: evil, body: JSON.stringify({ name: 'renamed' }) })).status).toBe(403);
    expect((await withCookie(`/api/connectors/${CONNECTOR}`, { method: 'DELETE', headers: evil })).status).toBe(403);
    const still = await api<{ name: string }>(server.url, `/api/connectors/${CONNECTOR}`, { auth: bearer });
    expect(still.body.name).toBe('Origin target');
  });

  it('accepts its own Origin, a same-origin Referer, or Sec-Fetch-Site: same-origin alone', async () => {
    const own: Array<Record<string, string>> = [{ origin: server.url }, { referer: `${server.url}/admin/tokens` }, { 'sec-fetch-site': 'same-origin' }];
    for (const headers of own) {
      const name = `own-${Math.random().toString(36).slice(2)}`;
      const res = await withCookie('/api/tokens', { headers: { ...json, ...headers }, body: JSON.stringify({ name, role: 'viewer' }) });
      expect(res.status, JSON.stringify(headers)).toBe(201);
      expect(await tokenNames()).toContain(name);
    }
  });

  it('reads (GET) are not state changes: no Origin needed', async () => {
    expect((await withCookie('/api/connectors', { method: 'GET' })).status).toBe(200);
  });
});

describe('JSON-only bodies', () => {
  it.each([
    ['text/plain', 'text/plain;charset=UTF-8', '{"name":"plain","role":"admin"}'],
    ['a url-encoded form', 'application/x-www-form-urlencoded', 'name=form&role=admin'],
    ['multipart form data', 'multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="name"\r\n\r\nmultipart\r\n--x--\r\n'],
  ])('answers 415 to %s from Syncdeck’s own origin', async (_what, type, body) => {
    const res = await withCookie('/api/tokens', { headers: { origin: server.url, 'content-type': type }, body });
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe('unsupported_media_type');
    expect(res.body.error.message).toContain('application/json');
  });

  it('a body-less run is refused as a form, accepted without a Content-Type or as JSON', async () => {
    const own = { origin: server.url };
    const form = await withCookie(`/api/connectors/${CONNECTOR}/run`, { headers: { ...own, 'content-type': 'application/x-www-form-urlencoded' } });
    expect(form.status).toBe(415);
    const plain = await withCookie(`/api/connectors/${CONNECTOR}/run`, { headers: { ...own, 'content-type': 'text/plain' } });
    expect(plain.status).toBe(415);
    expect(await runsOf(CONNECTOR)).toEqual([]);
    const bare = await withCookie(`/api/connectors/${CONNECTOR}/run?wait=true`, { headers: own });
    expect(bare.status).toBe(200);
    expect(await runsOf(CONNECTOR)).toHaveLength(1);
  });

  it('a body without a Content-Type is refused', async () => {
    const res = await fetch(`${server.url}/api/tokens`, { method: 'POST', headers: { authorization: `Bearer ${bearer.token}` }, body: new Uint8Array(Buffer.from('{"name":"x","role":"viewer"}')) });
    expect(res.status).toBe(415);
  });
});

describe('bearer tokens', () => {
  it('are not affected by the origin, but still send JSON', async () => {
    const auth = { authorization: `Bearer ${bearer.token}`, origin: 'http://evil.example', 'sec-fetch-site': 'cross-site' };
    const name = `bearer-${Math.random().toString(36).slice(2)}`;
    const ok = await fetch(`${server.url}/api/tokens`, { method: 'POST', headers: { ...auth, ...json }, body: JSON.stringify({ name, role: 'viewer' }) });
    expect(ok.status).toBe(201);
    const plain = await fetch(`${server.url}/api/tokens`, { method: 'POST', headers: { ...auth, 'content-type': 'text/plain' }, body: JSON.stringify({ name: `${name}-2`, role: 'viewer' }) });
    expect(plain.status).toBe(415);
  });
});

describe('sign-in and sign-out (next-auth)', () => {
  it('refuses a sign-in posted from another origin, even with a valid CSRF token', async () => {
    const csrf = await fetch(`${server.url}/api/auth/csrf`);
    const csrfCookie = csrf.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const res = await fetch(`${server.url}/api/auth/callback/credentials`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: csrfCookie, origin: otherPort },
      body: new URLSearchParams({ csrfToken, email: ADMIN.email, password: ADMIN.password, json: 'true' }),
      redirect: 'manual',
    });
    expect(res.status).toBe(403);
    expect(res.headers.getSetCookie().some((c) => c.includes('session-token'))).toBe(false);
  });
});

describe('the Socket.IO handshake', () => {
  it('with the cookie: refused from a foreign Origin or another port, accepted from its own', async () => {
    for (const origin of ['http://evil.example', otherPort]) {
      const socket = openSocket(server.url, { cookie, origin });
      await expect(connect(socket), origin).rejects.toThrow(/cross_origin/);
      socket.close();
    }
    const own = openSocket(server.url, { cookie });
    await connect(own);
    expect(await subscribe(own, [`connector:${CONNECTOR}`])).toEqual([`connector:${CONNECTOR}`]);
    own.close();
  });

  it('with a token: the Origin does not matter', async () => {
    const socket = openSocket(server.url, { token: bearer.token });
    (socket.io.opts as { extraHeaders?: Record<string, string> }).extraHeaders = { origin: 'http://evil.example' };
    await connect(socket);
    socket.close();
  });
});
