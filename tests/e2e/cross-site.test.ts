import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Db } from 'mongodb';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { api } from '../support/api';
import { connectDatabase, createToken, type TestDatabase } from '../support/database';
import { ADMIN, startServer, type TestServer } from '../support/server';
import { launchBrowser, type TestBrowser } from './browser';
import { ForeignPage } from './pages/foreign-page';
import { LoginPage } from './pages/login-page';
import { NavBar } from './pages/nav-bar';

/**
 * Cross-site request forgery in a real browser: an admin signed in to Syncdeck visits a page served from another
 * origin on the same host (another loopback port: same site, so SameSite=Lax does not hold the cookie back). The
 * page auto-submits forms and fires fetches at POST /api/tokens and POST /api/connectors/{id}/run, and opens the
 * live socket. Nothing is created, nothing runs, and the socket is refused, while Syncdeck's own page still works.
 */

const CONNECTOR = 'csrf-target';

let server: TestServer;
let database: TestDatabase;
let db: Db;
let browser: TestBrowser;
let foreign: http.Server;
let foreignUrl: string;
let admin: { token: string };
let failures = 0;

/** The attacker's page: forms (text/plain JSON, url-encoded) into frames, no-cors fetches, a raw Socket.IO handshake. */
function attackPage(target: string): string {
  const run = `${target}/api/connectors/${CONNECTOR}/run`;
  return `<!doctype html><html><body>
<iframe name="token-form"></iframe><iframe name="run-form"></iframe>
<form id="token" method="POST" action="${target}/api/tokens" enctype="text/plain" target="token-form">
  <input name='{"name":"csrf-form","role":"admin","pad":"' value='"}'>
</form>
<form id="run" method="POST" action="${run}" target="run-form"></form>
<script>
  document.getElementById('token').submit();
  document.getElementById('run').submit();
  const settle = (p) => p.then((r) => 'answered ' + r.type, (e) => 'failed ' + e.message);
  const fetches = Promise.all([
    settle(fetch('${target}/api/tokens', { method: 'POST', mode: 'no-cors', credentials: 'include', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ name: 'csrf-fetch', role: 'admin' }) })),
    settle(fetch('${run}', { method: 'POST', mode: 'no-cors', credentials: 'include' })),
  ]);
  const socket = new Promise((resolve) => {
    const ws = new WebSocket('${target.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket');
    ws.onmessage = (m) => {
      if (String(m.data).startsWith('0')) ws.send('40');
      else if (String(m.data).startsWith('4')) { resolve(String(m.data)); ws.close(); }
    };
    ws.onerror = () => resolve('error');
  });
  Promise.all([fetches, socket]).then(([fetches, socket]) => { window.outcome = { fetches, socket }; });
</script></body></html>`;
}

beforeAll(async () => {
  server = await startServer();
  database = await connectDatabase(server);
  db = database.db;
  admin = { token: (await createToken(db, 'admin')).token };
  const created = await api(server.url, '/api/connectors', { auth: admin, body: { id: CONNECTOR, name: 'CSRF target', kind: 'demo', config: { records: 1, pageDelayMs: 0, failureRate: 0 } } });
  expect(created.status).toBe(201);
  const page = attackPage(server.url);
  foreign = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(page));
  await new Promise<void>((resolve) => foreign.listen(0, '127.0.0.1', resolve));
  foreignUrl = `http://127.0.0.1:${(foreign.address() as AddressInfo).port}/`;
  browser = await launchBrowser();
});

afterEach(async (context) => {
  if (context.task.result?.state === 'fail' && browser) {
    failures++;
    await browser.screenshot(`failed-cross-site-${failures}`).catch(() => undefined);
  }
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => (foreign ? foreign.close(resolve) : resolve(undefined)));
  await database?.close();
  const result = await server?.dispose();
  expect(result?.orphans ?? []).toEqual([]);
});

const tokenNames = async () => (await api<{ tokens: Array<{ name: string }> }>(server.url, '/api/tokens', { auth: admin })).body.tokens.map((t) => t.name);
const runCount = async () => (await api<{ runs: unknown[] }>(server.url, `/api/runs?connectorId=${CONNECTOR}`, { auth: admin })).body.runs.length;

describe('an admin signed in visits a page on another origin', () => {
  it('signs in', async () => {
    await browser.page.goto(`${server.url}/login`);
    await new LoginPage(browser.page).signIn(ADMIN.email, ADMIN.password);
  });

  it('whose forms and fetches create no token and run nothing, and whose socket is refused', async () => {
    const page = new ForeignPage(browser.page);
    await page.open(foreignUrl);
    const outcome = await page.outcome();
    expect(outcome.fetches).toEqual(['answered opaque', 'answered opaque']);
    // The cookie went along (an unauthenticated request would be 401); the origin rule refused the requests.
    expect(await page.formAnswer('token-form')).toContain('cross_origin');
    expect(await page.formAnswer('run-form')).toContain('cross_origin');
    expect(outcome.socket).toMatch(/^44.*cross_origin/);
    expect((await tokenNames()).filter((name) => name.startsWith('csrf-'))).toEqual([]);
    expect(await runCount()).toBe(0);
    await browser.screenshot('cross-site-refused');
  });

  it('while Syncdeck’s own page still creates a token and runs the connector with the same session', async () => {
    await browser.page.goto(`${server.url}/`);
    const statuses = await browser.page.evaluate(async (id) => {
      const token = await fetch('/api/tokens', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'own-page', role: 'viewer' }) });
      const run = await fetch(`/api/connectors/${id}/run?wait=true`, { method: 'POST' });
      return [token.status, run.status];
    }, CONNECTOR);
    expect(statuses).toEqual([201, 200]);
    expect(await tokenNames()).toContain('own-page');
    expect(await runCount()).toBe(1);
  });

  it('and once signed out with the button, a copy of the session cookie taken before opens nothing', async () => {
    const copied = (await browser.context.cookies(server.url)).map((c) => `${c.name}=${c.value}`).join('; ');
    expect((await api(server.url, '/api/me', { auth: { cookie: copied } })).status).toBe(200);
    const nav = new NavBar(browser.page);
    await nav.signOut.click();
    await new LoginPage(browser.page).waitUntilShown();
    expect((await api(server.url, '/api/me', { auth: { cookie: copied } })).status).toBe(401);
  });
});
