import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { api, login } from '../support/api';
import { ADMIN, startServer, type TestServer } from '../support/server';
import { launchBrowser, type TestBrowser } from './browser';
import { LoginPage } from './pages/login-page';
import { OverviewPage } from './pages/overview-page';

/**
 * The dashboard in a real browser against a real server: sign-in redirect, the overview's connector card,
 * Run now with live progress, and the live indicator. The steps share one page and run in order.
 */

const CONNECTOR = 'e2e-customers';
/** About 6 s of work: long enough to see the progress bar, short enough for a quick test. */
const CONFIG = { records: 300, pageSize: 10, pageDelayMs: 200, failureRate: 0 };

let server: TestServer;
let browser: TestBrowser;
let failures = 0;

beforeAll(async () => {
  server = await startServer();
  const cookie = await login(server.url, ADMIN.email, ADMIN.password);
  const created = await api(server.url, '/api/connectors', {
    auth: { cookie },
    body: {
      id: CONNECTOR,
      name: 'E2E customers',
      kind: 'demo',
      config: CONFIG,
      schedules: [{ id: 'nightly', type: 'cron', cron: '0 2 * * *', timezone: 'Europe/Berlin' }],
    },
  });
  expect(created.status).toBe(201);
  browser = await launchBrowser();
});

afterEach(async (context) => {
  // Keep a picture of the page whenever a step fails.
  if (context.task.result?.state === 'fail' && browser) {
    failures++;
    await browser.screenshot(`failed-${failures}-${context.task.name.replace(/\W+/g, '-').slice(0, 60)}`).catch(() => undefined);
  }
});

afterAll(async () => {
  await browser?.close();
  const result = await server?.dispose();
  expect(result?.orphans ?? []).toEqual([]);
});

describe('overview in a browser', () => {
  it('sends a visitor without a session to the login page', async () => {
    const loginPage = new LoginPage(browser.page);
    await browser.page.goto(`${server.url}/`);
    await loginPage.waitUntilShown();
    expect(loginPage.isCurrent()).toBe(true);
    await browser.screenshot('01-login');
  });

  it('says so when the password is wrong', async () => {
    const loginPage = new LoginPage(browser.page);
    const message = await loginPage.signInExpectingError(ADMIN.email, 'not-the-password-123');
    expect(message).toMatch(/wrong/i);
    expect(loginPage.isCurrent()).toBe(true);
  });

  it('signs in and shows the connector card, with the live indicator live', async () => {
    const loginPage = new LoginPage(browser.page);
    await loginPage.signIn(ADMIN.email, ADMIN.password);
    const overview = new OverviewPage(browser.page);
    await overview.waitUntilShown();

    const card = overview.card(CONNECTOR);
    await card.root.waitFor({ state: 'visible' });
    expect(await card.statusText()).toBe('Never run');
    await card.nextRun.waitFor({ state: 'visible' });
    await card.lastRun.waitFor({ state: 'visible' });
    await overview.waitForLiveState('live');
    await browser.screenshot('02-overview');
  });

  it('Run now shows the progress bar and then Succeeded', async () => {
    const overview = new OverviewPage(browser.page);
    const card = overview.card(CONNECTOR);
    await card.runNow.click();

    await card.progressBar.waitFor({ state: 'visible' });
    expect(await card.progressBar.getAttribute('role')).toBe('progressbar');
    await card.waitForStatus('Running');
    await browser.screenshot('03-running');

    await card.waitForStatus('Succeeded', 90_000);
    await card.progressBar.waitFor({ state: 'hidden' });
    expect(await overview.liveState()).toBe('live');
    await browser.screenshot('04-succeeded');

    // What the page showed is what the server recorded.
    const cookie = await login(server.url, ADMIN.email, ADMIN.password);
    const runs = await api<{ runs: Array<{ status: string; trigger: string; initiatedBy: string; counts: { fetched: number } }> }>(
      server.url,
      `/api/runs?connectorId=${CONNECTOR}`,
      { auth: { cookie } },
    );
    expect(runs.body.runs).toHaveLength(1);
    expect(runs.body.runs[0]).toMatchObject({ status: 'succeeded', trigger: 'manual', initiatedBy: ADMIN.email, counts: { fetched: CONFIG.records } });
  });

  it('a run started elsewhere shows up live, without reloading', async () => {
    const overview = new OverviewPage(browser.page);
    const card = overview.card(CONNECTOR);
    const cookie = await login(server.url, ADMIN.email, ADMIN.password);
    const started = await api(server.url, `/api/connectors/${CONNECTOR}/run`, { method: 'POST', auth: { cookie } });
    expect(started.status).toBe(202);
    await card.progressBar.waitFor({ state: 'visible' });
    await card.waitForStatus('Succeeded', 90_000);
  });
});
