import { readdirSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, login, type ErrorBody } from '../support/api';
import { ADMIN, ROOT, startServer, type TestServer } from '../support/server';

/**
 * Malformed input answers 4xx in the one error shape, never 500: every route under app/ with a percent-escape that
 * is not UTF-8, TRACE and other methods no route serves, and the run list's date filters. One server.
 */

let server: TestServer;
let cookie: string;

beforeAll(async () => {
  server = await startServer();
  cookie = await login(server.url, ADMIN.email, ADMIN.password);
});

afterAll(async () => {
  const result = await server?.dispose();
  expect(result?.orphans ?? []).toEqual([]);
});

/** Every route and page under app/, as URL paths with their dynamic segments written `[name]`. */
function appRoutes(dir = path.join(ROOT, 'app'), prefix = ''): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      // Route groups `(name)` add nothing to the path.
      const segment = /^\(.*\)$/.test(entry.name) ? '' : `/${entry.name}`;
      found.push(...appRoutes(path.join(dir, entry.name), prefix + segment));
    } else if (/^(route|page)\.tsx?$/.test(entry.name)) {
      found.push(prefix || '/');
    }
  }
  return found;
}

const ROUTES = [...new Set(appRoutes())].sort();
const BAD = '%ff%fe';
/** Each route with every dynamic segment a bad escape, and with a bad escape added at the end. */
const BAD_PATHS = ROUTES.flatMap((route) => {
  const atEnd = `${route === '/' ? '' : route.replace(/\[[^\]]+\]/g, 'x')}/${BAD}`;
  return route.includes('[') ? [route.replace(/\[[^\]]+\]/g, BAD), atEnd] : [atEnd];
});

/** A request with any method (fetch refuses TRACE); answers the status, headers and parsed body. */
function rawRequest(method: string, p: string, headers: Record<string, string> = {}): Promise<{ status: number; allow?: string; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${server.url}${p}`, { method, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => {
        let body: unknown = text || null;
        try {
          body = text ? JSON.parse(text) : null;
        } catch {
          // Not JSON: kept as text.
        }
        resolve({ status: res.statusCode ?? 0, allow: res.headers.allow, body });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

function expectErrorShape(body: unknown, code: string, where: string) {
  expect(body, where).toMatchObject({ error: { code, message: expect.any(String) } });
}

describe('bad percent-escapes in the path', () => {
  it('finds the routes of the app', () => {
    expect(ROUTES).toContain('/api/connectors/[id]/run');
    expect(ROUTES).toContain('/connectors/[id]');
    expect(ROUTES.length).toBeGreaterThan(30);
  });

  it.each([
    ['without signing in', () => ({})],
    ['signed in', () => ({ cookie, origin: server.url })],
  ])('answer 400 on every route, %s, for GET and POST', async (_who, headers) => {
    for (const p of BAD_PATHS) {
      for (const method of ['GET', 'POST']) {
        const res = await fetch(`${server.url}${p}`, { method, headers: headers(), redirect: 'manual' });
        const where = `${method} ${p}`;
        expect(res.status, where).toBe(400);
        expectErrorShape(await res.json(), 'bad_request', where);
      }
    }
  });
});

describe('bad percent-escapes in the query', () => {
  it('never answer 500 on any route, signed in or not', async () => {
    const query = `?q=${BAD}&callbackUrl=${BAD}&token=${BAD}&link=${BAD}&connectorId=${BAD}&${BAD}=1`;
    for (const route of ROUTES) {
      const p = `${route.replace(/\[[^\]]+\]/g, 'x')}${query}`;
      for (const headers of [{}, { cookie }] as Array<Record<string, string>>) {
        const res = await fetch(`${server.url}${p}`, { headers, redirect: 'manual' });
        await res.arrayBuffer();
        expect(res.status, `GET ${p}`).toBeLessThan(500);
      }
    }
  });
});

describe('next-auth’s callback URL', () => {
  it('a bad one in the query or its cookie is 400 naming it, not next-auth’s 500', async () => {
    const cases: Array<[string, Record<string, string>, string]> = [
      [`/api/auth/session?callbackUrl=${BAD}`, {}, 'callbackUrl'],
      ['/api/auth/csrf?callbackUrl=javascript:alert(1)', {}, 'callbackUrl'],
      ['/api/auth/session', { cookie: 'next-auth.callback-url=%ff' }, 'next-auth.callback-url'],
      ['/api/auth/providers', { cookie: 'next-auth.callback-url=nonsense' }, 'next-auth.callback-url'],
    ];
    for (const [p, headers, field] of cases) {
      const res = await fetch(`${server.url}${p}`, { headers, redirect: 'manual' });
      expect(res.status, p).toBe(400);
      expect(await res.json(), p).toMatchObject({ error: { code: 'bad_request', fields: [{ path: field }] } });
    }
    const fine = await fetch(`${server.url}/api/auth/session?callbackUrl=%2Fruns`, { headers: { cookie: 'next-auth.callback-url=%2Fwall' } });
    expect(fine.status).toBe(200);
  });
});

describe('methods no route serves', () => {
  it('TRACE and other unknown methods answer 405 with Allow on every route', async () => {
    for (const route of ROUTES) {
      const p = route.replace(/\[[^\]]+\]/g, 'x');
      for (const method of ['TRACE', 'PROPFIND']) {
        const res = await rawRequest(method, p, { cookie });
        expect(res.status, `${method} ${p}`).toBe(405);
        expect(res.allow, p).toContain('GET');
        expectErrorShape(res.body, 'method_not_allowed', `${method} ${p}`);
      }
    }
  });

  it('the Socket.IO path (Engine.IO answers there) never answers 500 either', async () => {
    for (const [method, p] of [['TRACE', '/socket.io/'], ['TRACE', '/socket.io/?EIO=4&transport=polling'], ['GET', `/socket.io/${BAD}`], ['GET', `/socket.io/?EIO=4&transport=${BAD}`], ['PROPFIND', '/socket.io/']] as const) {
      const res = await rawRequest(method, p, { cookie }).catch((error: Error) => ({ status: 0, error }));
      expect(res.status, `${method} ${p}`).toBeGreaterThanOrEqual(400);
      expect(res.status, `${method} ${p}`).toBeLessThan(500);
    }
  });

  it('methods a route does not export answer 4xx, never 500', async () => {
    for (const route of ROUTES.filter((r) => r.startsWith('/api/'))) {
      const p = route.replace(/\[[^\]]+\]/g, 'x');
      for (const method of ['PUT', 'PATCH', 'DELETE', 'OPTIONS']) {
        const res = await fetch(`${server.url}${p}`, { method, headers: { cookie, origin: server.url } });
        await res.arrayBuffer();
        expect(res.status, `${method} ${p}`).toBeLessThan(500);
      }
    }
  });
});

describe('the run list’s filters', () => {
  const auth = () => ({ cookie });

  it('a bad before cursor beside a good after is 400 naming before, not 500', async () => {
    const res = await api<ErrorBody>(server.url, '/api/runs?before=x&after=2026-01-01T00:00:00Z', { auth: auth() });
    expect(res.status).toBe(400);
    expect(res.body.error.fields).toEqual([{ path: 'before', message: expect.stringMatching(/cursor|ISO/) }]);
  });

  it.each(['8', '2026', 'yesterday', '2026-01-01', '2026-13-01T00:00:00Z'])('after=%s is not an ISO date-time: 400', async (after) => {
    const res = await api<ErrorBody>(server.url, `/api/runs?after=${encodeURIComponent(after)}`, { auth: auth() });
    expect(res.status).toBe(400);
    expect(res.body.error.fields?.[0]).toMatchObject({ path: 'after', message: expect.stringContaining('ISO 8601 date-time') });
  });

  it('before=8 is neither a cursor nor an ISO date-time: 400', async () => {
    const res = await api<ErrorBody>(server.url, '/api/runs?before=8', { auth: auth() });
    expect(res.status).toBe(400);
    expect(res.body.error.fields?.[0]?.path).toBe('before');
  });

  it('ISO date-times and cursors still work, with or without milliseconds and offsets', async () => {
    for (const query of ['after=2026-01-01T00:00:00Z', 'after=2026-01-01T00:00:00.000Z', 'after=2026-01-01T01:00:00%2B01:00', 'before=2030-01-01T00:00:00.000Z~some:run', 'after=2026-01-01T00:00:00Z&before=2030-01-01T00:00:00Z']) {
      expect((await api(server.url, `/api/runs?${query}`, { auth: auth() })).status, query).toBe(200);
    }
    const order = await api<ErrorBody>(server.url, '/api/runs?after=2030-01-01T00:00:00Z&before=2026-01-01T00:00:00Z', { auth: auth() });
    expect(order.status).toBe(400);
    expect(order.body.error.fields?.[0]).toMatchObject({ path: 'after', message: 'must be earlier than before' });
  });
});
