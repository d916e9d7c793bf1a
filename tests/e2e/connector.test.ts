import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { api, login, type Auth } from '../support/api';
import { connectDatabase, createUser, type TestDatabase } from '../support/database';
import { ADMIN, startServer, type TestServer } from '../support/server';
import { launchBrowser, type TestBrowser } from './browser';
import { ConnectorPage } from './pages/connector-page';
import { LoginPage } from './pages/login-page';

/**
 * The connector detail and run pages in real browsers, one role at a time: an admin edits schedules (and sees a
 * bad cron refused beside its field), an operator runs and cancels while a viewer watches the same run live in a
 * second browser, and the viewer sees no control it could not use.
 */

const CONNECTOR = 'e2e-orders';
/** About 8 s of work in 40 pages: long enough to watch, cancel and tail the log. */
const CONFIG = { records: 200, pageSize: 5, pageDelayMs: 200, failureRate: 0 };

let server: TestServer;
let database: TestDatabase;
let admin: Auth;
const browsers: TestBrowser[] = [];
let failures = 0;

async function signedIn(email: string, password: string): Promise<TestBrowser> {
  const browser = await launchBrowser();
  browsers.push(browser);
  await browser.page.goto(`${server.url}/login`);
  const loginPage = new LoginPage(browser.page);
  await loginPage.waitUntilShown();
  await loginPage.signIn(email, password);
  await browser.page.waitForURL((url) => url.pathname === '/');
  return browser;
}

beforeAll(async () => {
  server = await startServer();
  database = await connectDatabase(server);
  admin = { cookie: await login(server.url, ADMIN.email, ADMIN.password) };
  const created = await api(server.url, '/api/connectors', {
    auth: admin,
    body: {
      id: CONNECTOR,
      name: 'E2E orders',
      kind: 'demo',
      config: CONFIG,
      schedules: [{ id: 'nightly', type: 'cron', cron: '0 2 * * *', timezone: 'Europe/Berlin' }],
    },
  });
  expect(created.status).toBe(201);
});

afterEach(async (context) => {
  if (context.task.result?.state !== 'fail') return;
  failures++;
  for (const [i, browser] of browsers.entries()) {
    await browser.screenshot(`connector-failed-${failures}-${i}-${context.task.name.replace(/\W+/g, '-').slice(0, 50)}`).catch(() => undefined);
  }
});

afterAll(async () => {
  for (const browser of browsers) await browser.close();
  await database?.close();
  const result = await server?.dispose();
  expect(result?.orphans ?? []).toEqual([]);
});

describe('connector detail in a browser', () => {
  it('an admin changes a schedule; a bad cron is refused beside its field and nothing is saved', async () => {
    const browser = await signedIn(ADMIN.email, ADMIN.password);
    const page = new ConnectorPage(browser.page);
    await page.goto(server.url, CONNECTOR);
    const nightly = page.schedule('nightly');
    await nightly.waitFor({ state: 'visible' });
    await nightly.getByTestId('schedule-preview').waitFor({ state: 'visible' });
    await browser.screenshot('10-connector-admin');

    const cron = nightly.getByTestId('cron-input');
    await cron.fill('0 99 * * *');
    await page.scheduleSave.click();
    const error = nightly.getByTestId('schedule-error').filter({ hasText: /\S/ });
    await error.first().waitFor({ state: 'visible' });
    const stored = await api<{ schedules: Array<{ cron?: string }> }>(server.url, `/api/connectors/${CONNECTOR}`, { auth: admin });
    expect(stored.body.schedules[0]!.cron).toBe('0 2 * * *');

    await cron.fill('30 6 * * 1-5');
    await page.scheduleSave.click();
    await page.scheduleFeedback.filter({ hasText: /saved/i }).waitFor({ state: 'visible' });
    const saved = await api<{ schedules: Array<{ cron?: string; timezone?: string }> }>(server.url, `/api/connectors/${CONNECTOR}`, { auth: admin });
    expect(saved.body.schedules).toEqual([expect.objectContaining({ id: 'nightly', cron: '30 6 * * 1-5', timezone: 'Europe/Berlin' })]);
    // The preview follows the saved schedule: a weekday at 06:30.
    await nightly.getByTestId('schedule-preview').filter({ hasText: /06:30|6:30/ }).waitFor({ state: 'visible' });
  });

  it('an operator runs and cancels while a viewer watches the same run live, without controls', async () => {
    const operatorUser = await createUser(database.db, 'operator');
    const viewerUser = await createUser(database.db, 'viewer');
    const operator = await signedIn(operatorUser.email, operatorUser.password);
    const viewer = await signedIn(viewerUser.email, viewerUser.password);
    const operatorPage = new ConnectorPage(operator.page);
    const viewerPage = new ConnectorPage(viewer.page);
    await operatorPage.goto(server.url, CONNECTOR);
    await viewerPage.goto(server.url, CONNECTOR);

    // What each role may touch: the operator runs and cancels, only admins edit schedules and policies.
    expect(await operatorPage.runNow.count()).toBe(1);
    expect(await operatorPage.scheduleSave.count()).toBe(0);
    expect(await operatorPage.policies.getByTestId('policies-form').count()).toBe(0);
    expect(await viewerPage.runNow.count()).toBe(0);
    expect(await viewerPage.cancelRun.count()).toBe(0);
    expect(await viewerPage.scheduleSave.count()).toBe(0);
    await viewerPage.policies.getByTestId('policies-view').waitFor({ state: 'visible' });

    await operatorPage.runNow.click();
    // Both browsers see the run going, pushed to them.
    await operatorPage.waitForStatus('Running');
    await viewerPage.waitForStatus('Running');
    await viewerPage.root.getByTestId('progress-bar').first().waitFor({ state: 'visible' });
    await viewer.screenshot('11-connector-viewer-running');

    await operatorPage.cancelAndConfirm();
    await operatorPage.waitForStatus('Cancelled');
    await viewerPage.waitForStatus('Cancelled');
    await operatorPage.runRow('cancelled').first().waitFor({ state: 'visible' });

    const runs = await api<{ runs: Array<{ status: string; initiatedBy: string; cancelledBy?: string }> }>(server.url, `/api/runs?connectorId=${CONNECTOR}`, { auth: admin });
    expect(runs.body.runs[0]).toMatchObject({ status: 'cancelled', initiatedBy: operatorUser.email, cancelledBy: operatorUser.email });
  });

  it('the run page tails the log live while the run goes, then shows the outcome', async () => {
    const browser = browsers[0]!;
    const started = await api<{ runId: string }>(server.url, `/api/connectors/${CONNECTOR}/run`, { auth: admin, body: {} });
    expect(started.status).toBe(202);
    await browser.page.goto(`${server.url}/runs/${encodeURIComponent(started.body.runId)}`);
    const runPage = browser.page.getByTestId('run-page');
    await runPage.waitFor({ state: 'visible' });
    // Lines arrive while the run is still going, not only on a reload after it ended: new lines and the Running
    // status are checked together in the page, not one after the other (the run may end in between).
    await runPage.getByTestId('run-status').filter({ hasText: /Running/ }).waitFor({ state: 'visible' });
    const shownAtFirst = await runPage.getByTestId('run-log-line').count();
    await browser.page.waitForFunction((before) => {
      const status = document.querySelector('[data-testid="run-page"] [data-testid="run-status"]')?.textContent ?? '';
      const shown = [...document.querySelectorAll('[data-testid="run-page"] [data-testid="run-log-line"]')].map((l) => l.textContent ?? '');
      return /Running/.test(status) && shown.length > before && shown.some((line) => /page \d+\//.test(line));
    }, shownAtFirst);
    await browser.screenshot('12-run-live-log');
    await runPage.getByTestId('run-status').filter({ hasText: /Succeeded/ }).waitFor({ state: 'visible', timeout: 60_000 });
    await runPage.getByTestId('run-counts').filter({ hasText: String(CONFIG.records) }).first().waitFor({ state: 'visible' });
  });

  it('the runs page filters by status', async () => {
    const browser = browsers[0]!;
    await browser.page.goto(`${server.url}/runs`);
    const table = browser.page.getByTestId('runs-table');
    await table.waitFor({ state: 'visible' });
    await browser.page.getByTestId('filter-status').selectOption('cancelled');
    await browser.page.waitForURL((url) => url.searchParams.get('status') === 'cancelled');
    const rows = table.getByTestId('run-row');
    await rows.first().waitFor({ state: 'visible' });
    // The filtered list replaces the whole one: wait for a list of cancelled runs only (not an empty one in between).
    await browser.page.waitForFunction(() => {
      const shown = [...document.querySelectorAll('[data-testid="run-row"]')];
      return shown.length > 0 && shown.every((row) => row.getAttribute('data-status') === 'cancelled');
    });
    expect(await rows.count()).toBe(1);
    await browser.screenshot('13-runs-filtered');

    // A time window: nothing was queued after a moment far ahead, the cancelled run was queued after one long past.
    await browser.page.getByTestId('filter-after').fill('2099-01-01T00:00');
    await browser.page.waitForURL((url) => url.searchParams.get('after') !== null && url.searchParams.get('status') === 'cancelled');
    await browser.page.getByTestId('runs-empty').waitFor({ state: 'visible' });
    await browser.page.getByTestId('filter-after').fill('2000-01-01T00:00');
    await rows.first().waitFor({ state: 'visible' });
    expect(await rows.count()).toBe(1);
  });
});
