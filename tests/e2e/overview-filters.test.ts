import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { api, login, type Auth } from '../support/api';
import { ADMIN, startServer, type TestServer } from '../support/server';
import { launchBrowser, type TestBrowser } from './browser';
import { LoginPage } from './pages/login-page';
import { OverviewPage } from './pages/overview-page';

/**
 * The overview's figures, search, status filter and layouts in a real browser: three connectors with a short
 * history (one healthy, one failing, one disabled), searched and filtered, with the filter surviving a reload;
 * the summary charts; screenshots in light and dark at 1280x800.
 */

const HEALTHY = 'crm-contacts';
const FAILING = 'inventory-assets';
const DISABLED = 'helpdesk-tickets';
const fast = { records: 20, pageSize: 10, pageDelayMs: 20 };

let server: TestServer;
let browser: TestBrowser;
let admin: Auth;
let failures = 0;

beforeAll(async () => {
  server = await startServer();
  admin = { cookie: await login(server.url, ADMIN.email, ADMIN.password) };
  const connectors = [
    { id: HEALTHY, name: 'CRM contacts', config: { ...fast, failureRate: 0 }, enabled: true },
    { id: FAILING, name: 'Inventory assets', config: { ...fast, failureRate: 1 }, enabled: true },
    { id: DISABLED, name: 'Helpdesk tickets', config: { ...fast, failureRate: 0 }, enabled: false },
  ];
  for (const c of connectors) {
    const res = await api(server.url, '/api/connectors', {
      auth: admin,
      body: { id: c.id, name: c.name, kind: 'demo', config: c.config, enabled: c.enabled, schedules: [{ id: 'nightly', type: 'cron', cron: '0 2 * * *', timezone: 'Europe/Berlin' }] },
    });
    expect(res.status).toBe(201);
    for (let i = 0; i < 3; i++) {
      const run = await api(server.url, `/api/connectors/${c.id}/run?wait=true`, { method: 'POST', auth: admin });
      expect(run.status).toBe(200);
    }
  }
  browser = await launchBrowser();
  await browser.page.setViewportSize({ width: 1280, height: 800 });
});

afterEach(async (context) => {
  if (context.task.result?.state === 'fail' && browser) {
    failures++;
    await browser.screenshot(`overview-filters-failed-${failures}`).catch(() => undefined);
  }
});

afterAll(async () => {
  await browser?.close();
  const result = await server?.dispose();
  expect(result?.orphans ?? []).toEqual([]);
});

describe('overview figures, search and filters', () => {
  it('shows each connector with success rate, failure streak and duration sparkline, and the summary charts', async () => {
    await browser.page.goto(`${server.url}/`);
    await new LoginPage(browser.page).signIn(ADMIN.email, ADMIN.password);
    const overview = new OverviewPage(browser.page);
    await overview.waitUntilShown();
    expect(await overview.shownIds()).toEqual([HEALTHY, DISABLED, FAILING]);

    const healthy = overview.card(HEALTHY);
    await healthy.successRate.waitFor();
    expect(await healthy.successRate.getAttribute('data-rate')).toBe('100');
    expect(await healthy.failureStreak.getAttribute('data-count')).toBe('0');
    expect(await healthy.sparkline.locator('rect').count()).toBe(3);

    const failing = overview.card(FAILING);
    expect(await failing.successRate.getAttribute('data-rate')).toBe('0');
    expect(await failing.failureStreak.getAttribute('data-count')).toBe('3');
    expect(await failing.statusText()).toBe('Failed');

    expect(await overview.chartState(overview.runsPerHourChart)).toBe('ready');
    expect(await overview.chartState(overview.durationsChart)).toBe('ready');
    expect(await overview.runsPerHourChart.locator('.recharts-bar-rectangle').count()).toBeGreaterThan(0);
    expect(await overview.durationsChart.getByText('Inventory assets').count()).toBe(1);
    await overview.waitForLiveState('live');
    await browser.page.emulateMedia({ colorScheme: 'light' });
    await browser.screenshot('overview-light');
    await browser.page.emulateMedia({ colorScheme: 'dark' });
    await browser.screenshot('overview-dark');
    await browser.page.emulateMedia({ colorScheme: 'light' });
  });

  it('searches by name, id or kind and filters by status, and keeps both in the URL across a reload', async () => {
    const overview = new OverviewPage(browser.page);
    await overview.search.fill('INVENT');
    await browser.page.waitForURL((url) => url.searchParams.get('q') === 'INVENT');
    expect(await overview.shownIds()).toEqual([FAILING]);
    await overview.search.fill('crm-con');
    await browser.page.waitForURL((url) => url.searchParams.get('q') === 'crm-con');
    expect(await overview.shownIds()).toEqual([HEALTHY]);
    await overview.search.fill('demo'); // the kind
    await browser.page.waitForURL((url) => url.searchParams.get('q') === 'demo');
    expect(await overview.shownIds()).toHaveLength(3);

    await overview.filterStatus('failing');
    await browser.page.waitForURL((url) => url.searchParams.get('status') === 'failing');
    expect(await overview.shownIds()).toEqual([FAILING]);
    await overview.filterStatus('disabled');
    expect(await overview.shownIds()).toEqual([DISABLED]);
    await overview.filterStatus('healthy');
    expect(await overview.shownIds()).toEqual([HEALTHY]);

    await browser.page.reload();
    await overview.waitUntilShown();
    expect(await overview.search.inputValue()).toBe('demo');
    expect(await overview.shownIds()).toEqual([HEALTHY]);

    await overview.search.fill('nothing-like-this');
    await overview.noMatch.waitFor();
    expect(await overview.shownIds()).toEqual([]);
    await overview.noMatch.getByRole('button', { name: 'Clear filters' }).click();
    expect(await overview.shownIds()).toHaveLength(3);
    expect(new URL(browser.page.url()).search).toBe('');
  });

  it('shows the fleet as a compact table with the same figures', async () => {
    const overview = new OverviewPage(browser.page);
    await overview.showAs('table');
    await browser.page.waitForURL((url) => url.searchParams.get('view') === 'table');
    await overview.rows.first().waitFor();
    expect(await overview.cards.count()).toBe(0);
    expect(await overview.shownIds()).toEqual([HEALTHY, DISABLED, FAILING]);
    const failing = overview.row(FAILING);
    expect(await failing.failureStreak.getAttribute('data-count')).toBe('3');
    expect(await failing.successRate.getAttribute('data-rate')).toBe('0');
    await browser.screenshot('overview-table-light');
    await browser.page.emulateMedia({ colorScheme: 'dark' });
    await browser.screenshot('overview-table-dark');
    await browser.page.emulateMedia({ colorScheme: 'light' });

    // A run that ends elsewhere reaches the row's figures without a reload: its sparkline gets a fourth bar.
    const healthy = overview.row(HEALTHY);
    expect(await healthy.sparkline.locator('rect').count()).toBe(3);
    const run = await api(server.url, `/api/connectors/${HEALTHY}/run?wait=true`, { method: 'POST', auth: admin });
    expect(run.status).toBe(200);
    await healthy.sparkline.locator('rect').nth(3).waitFor({ timeout: 30_000 });
  });
});
