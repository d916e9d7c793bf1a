import { createServer } from 'node:net';
import { rm } from 'node:fs/promises';
import type { Db } from 'mongodb';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { api, login } from '../support/api';
import { connectDatabase, createToken, revokeToken, type TestDatabase } from '../support/database';
import { ADMIN, startServer, type TestServer } from '../support/server';
import { launchBrowser, type TestBrowser } from './browser';
import { LoginPage } from './pages/login-page';
import { WallPage } from './pages/wall-page';

/**
 * The wall screen in a real browser, opened through a display link: connectors and a live run, no way into the
 * rest of the dashboard, a server restart it survives by itself, and the revoked state. Steps run in order on
 * one page. The server restarts on the same port and data directory, as a real one would.
 */

const LIVE = 'wall-orders';
/** About 6 s of work: long enough to watch the progress bar. */
const LIVE_CONFIG = { records: 300, pageSize: 10, pageDelayMs: 200, failureRate: 0 };
const FLAKY = 'wall-invoices';
const OTHERS = [
  { id: 'wall-tickets', name: 'Helpdesk tickets → onboarding' },
  { id: 'wall-assets', name: 'Inventory assets → PostgreSQL' },
  { id: 'wall-jobs', name: 'Approved jobs → MySQL' },
  { id: 'wall-stock', name: 'Marketplace stock' },
];

let server: TestServer;
let database: TestDatabase;
let db: Db;
let browser: TestBrowser;
let port: number;
let dataDir: string;
let adminCookie: string;
let display: { token: string; id: string };
let failures = 0;

/** A port free right now, so both starts of the server can listen on the same one. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function start(): Promise<void> {
  server = await startServer({ ...(dataDir ? { dataDir } : {}), env: { PORT: String(port) } });
  dataDir = server.dataDir;
  database = await connectDatabase(server);
  db = database.db;
  adminCookie = await login(server.url, ADMIN.email, ADMIN.password);
}

async function addConnector(id: string, name: string, config: Record<string, unknown>, every = 300): Promise<void> {
  const res = await api(server.url, '/api/connectors', {
    auth: { cookie: adminCookie },
    body: { id, name, kind: 'demo', config, schedules: [{ id: 'regular', type: 'interval', everySeconds: every }] },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
}

async function runAndWait(id: string): Promise<void> {
  const res = await api(server.url, `/api/connectors/${id}/run?wait=true`, { method: 'POST', auth: { cookie: adminCookie } });
  expect([200, 202]).toContain(res.status);
}

beforeAll(async () => {
  port = await freePort();
  await start();
  await addConnector(LIVE, 'Orders → warehouse', LIVE_CONFIG, 600);
  await addConnector(FLAKY, 'Invoices → accounting', { records: 20, pageSize: 10, pageDelayMs: 10, failureRate: 1, failureKinds: ['upstream'] }, 900);
  for (const [i, other] of OTHERS.entries()) await addConnector(other.id, other.name, { records: 40, pageSize: 20, pageDelayMs: 20, failureRate: 0 }, 120 + i * 60);
  // History for the charts: successes everywhere, a failure streak on the flaky one.
  for (const other of OTHERS) await runAndWait(other.id);
  for (let i = 0; i < 3; i++) await runAndWait(FLAKY);
  display = await createToken(db, 'display', 'ops-room-wall');
  browser = await launchBrowser();
}, 240_000);

afterEach(async (context) => {
  if (context.task.result?.state === 'fail' && browser) {
    failures++;
    await browser.screenshot(`wall-failed-${failures}-${context.task.name.replace(/\W+/g, '-').slice(0, 60)}`).catch(() => undefined);
  }
});

afterAll(async () => {
  await browser?.close();
  await database?.close();
  const result = await server?.stop();
  expect(result?.orphans ?? []).toEqual([]);
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('the wall through a display link', () => {
  it('opens without a login, drops the token from the address and keeps the cookie from scripts', async () => {
    const wall = new WallPage(browser.page);
    await wall.openLink(server.url, display.token);
    expect(browser.page.url()).toBe(`${server.url}/wall`);
    expect(await browser.page.evaluate(() => document.cookie)).not.toContain('syncdeck.display');
    await wall.waitForState('live');
    for (const id of [LIVE, FLAKY, ...OTHERS.map((o) => o.id)]) await wall.tile(id).root.waitFor({ state: 'visible' });
    await wall.tile(OTHERS[0]!.id).waitForStatus('Succeeded');
    expect(await wall.tile(FLAKY).streak.textContent()).toMatch(/3 failures in a row/);
    expect(await wall.upcoming.getByTestId('wall-upcoming-row').count()).toBeGreaterThan(0);
  });

  it('fits 1080p and 4K screens without scrolling', async () => {
    const wall = new WallPage(browser.page);
    await browser.page.setViewportSize({ width: 1920, height: 1080 });
    await wall.charts.locator('svg').first().waitFor({ state: 'visible' });
    expect(await wall.scrolls()).toBe(false);
    await browser.screenshot('wall-1080p');
    await browser.page.setViewportSize({ width: 3840, height: 2160 });
    await wall.charts.locator('svg').first().waitFor({ state: 'visible' });
    expect(await wall.scrolls()).toBe(false);
    await browser.screenshot('wall-4k');
    await browser.page.setViewportSize({ width: 1920, height: 1080 });
  });

  it('rotates its chart panels by itself', async () => {
    const wall = new WallPage(browser.page);
    for (const panel of ['durations', 'streaks', 'runs-per-hour']) {
      await wall.waitForPanel(panel, 30_000);
      await wall.charts.locator('svg').first().waitFor({ state: 'visible' });
      await browser.screenshot(`wall-panel-${panel}`);
    }
  });

  it('shows a run started elsewhere live, with its progress', async () => {
    const wall = new WallPage(browser.page);
    const tile = wall.tile(LIVE);
    const started = await api(server.url, `/api/connectors/${LIVE}/run`, { method: 'POST', auth: { cookie: adminCookie } });
    expect(started.status).toBe(202);
    await tile.progressBar.waitFor({ state: 'visible' });
    await tile.waitForStatus('Running');
    await browser.page.waitForFunction(
      (id) => Number(document.querySelector(`[data-connector-id="${id}"] [data-testid="wall-progress"]`)?.getAttribute('aria-valuenow') ?? 0) > 0,
      LIVE,
    );
    await browser.screenshot('wall-running');
    await tile.waitForStatus('Succeeded', 90_000);
    await tile.progressBar.waitFor({ state: 'hidden' });
  });

  it('does not open the dashboard, and the API refuses it anything that writes', async () => {
    const page = browser.page;
    await page.goto(`${server.url}/`);
    await new LoginPage(page).waitUntilShown();
    const write = await page.request.post(`${server.url}/api/connectors/${LIVE}/run`);
    expect(write.status()).toBe(403);
    const create = await page.request.post(`${server.url}/api/connectors`, { data: { id: 'nope', name: 'nope', kind: 'demo', config: {} } });
    expect(create.status()).toBe(403);
    const wall = new WallPage(page);
    await page.goto(`${server.url}/wall`);
    await wall.waitUntilShown();
    await wall.waitForState('live');
  });

  it('says the data is stale when heartbeats stop while the connection stays up', async () => {
    const wall = new WallPage(browser.page);
    // The board reads live during a short reconnect too; freeze only once the socket is really connected.
    await browser.page.locator('[data-testid="wall-connection"][data-state="live"]').waitFor({ state: 'visible' });
    // Freeze the server process (by its PID): the socket stays open, but no heartbeat comes.
    process.kill(server.pid, 'SIGSTOP');
    try {
      await wall.waitForState('stale', 15_000);
      expect(await wall.alert.getAttribute('data-kind')).toBe('stale');
      expect(await wall.alert.textContent()).toMatch(/Data is stale/);
      await browser.screenshot('wall-stale');
    } finally {
      process.kill(server.pid, 'SIGCONT');
    }
    await wall.waitForState('live', 30_000);
  });

  it('says the connection is down while the server restarts, then comes back live by itself', async () => {
    const wall = new WallPage(browser.page);
    await database.close();
    await server.stop();
    await wall.waitForState('reconnecting', 30_000);
    expect(await wall.alert.getAttribute('data-kind')).toBe('reconnecting');
    await browser.screenshot('wall-reconnecting');

    await start();
    await wall.waitForState('live', 60_000);
    await wall.alert.waitFor({ state: 'hidden' });
    // Events flow again on the new connection: a run started now shows up live.
    const started = await api(server.url, `/api/connectors/${LIVE}/run`, { method: 'POST', auth: { cookie: adminCookie } });
    expect(started.status).toBe(202);
    await wall.tile(LIVE).waitForStatus('Running');
    await wall.tile(LIVE).waitForStatus('Succeeded', 90_000);
  });

  it('shows plainly that access was revoked once the token is revoked', async () => {
    const wall = new WallPage(browser.page);
    await revokeToken(db, display.id);
    await wall.waitForState('revoked', 30_000);
    expect(await wall.alert.textContent()).toMatch(/Access revoked/);
    expect(new URL(browser.page.url()).pathname).toBe('/wall');
    await browser.screenshot('wall-revoked');
  });
});
