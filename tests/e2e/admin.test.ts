import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { api, login } from '../support/api';
import { connectDatabase, createUser } from '../support/database';
import { ADMIN, startServer, type TestServer } from '../support/server';
import { launchBrowser, SCREENSHOTS, type TestBrowser } from './browser';
import { AdminAuditPage, AdminTokensPage, AdminUsersPage, ConnectorHistory } from './pages/admin-pages';
import { LoginPage } from './pages/login-page';
import { NavBar } from './pages/nav-bar';

/**
 * Administration in a real browser: an admin reaches the admin pages from the nav, creates a user, changes their
 * role and disables them, creates a display token that is shown exactly once (with its wall link), revokes it, and
 * finds all of it in the audit log. A viewer sees no Admin link and is refused at /admin. Steps run in order.
 */

const PERSON = 'e2e.person@syncdeck.test';
const TOKEN_NAME = 'e2e ops wall';
const CONNECTOR = 'e2e-audited';

let server: TestServer;
let browser: TestBrowser;
let viewer: { email: string; password: string };
let shownToken = '';
let failures = 0;

beforeAll(async () => {
  server = await startServer();
  const database = await connectDatabase(server);
  try {
    viewer = await createUser(database.db, 'viewer');
  } finally {
    await database.close();
  }
  const auth = { cookie: await login(server.url, ADMIN.email, ADMIN.password) };
  const created = await api(server.url, '/api/connectors', { auth, body: { id: CONNECTOR, name: 'E2E audited', kind: 'demo', config: {} } });
  expect(created.status).toBe(201);
  const patched = await api(server.url, `/api/connectors/${CONNECTOR}`, { method: 'PATCH', auth, body: { name: 'E2E audited, renamed' } });
  expect(patched.status).toBe(200);
  browser = await launchBrowser();
});

afterEach(async (context) => {
  if (context.task.result?.state === 'fail' && browser) {
    failures++;
    await browser.screenshot(`failed-admin-${failures}-${context.task.name.replace(/\W+/g, '-').slice(0, 60)}`).catch(() => undefined);
  }
});

afterAll(async () => {
  await browser?.close();
  const result = await server?.dispose();
  expect(result?.orphans ?? []).toEqual([]);
});

describe('an admin in the browser', () => {
  it('finds the Admin link and the users page', async () => {
    await browser.page.goto(`${server.url}/login`);
    await new LoginPage(browser.page).signIn(ADMIN.email, ADMIN.password);
    const nav = new NavBar(browser.page);
    await nav.admin.waitFor({ state: 'visible' });
    await nav.admin.click();
    const users = new AdminUsersPage(browser.page);
    await users.waitUntilShown();
    expect(new URL(browser.page.url()).pathname).toBe('/admin/users');
    expect(await users.row(ADMIN.email).getAttribute('data-role')).toBe('admin');
  });

  it('creates a user, changes their role and disables them after confirming', async () => {
    const users = new AdminUsersPage(browser.page);
    await users.createUser(PERSON, 'operator');
    await users.waitForToast(/Created operator e2e\.person@syncdeck\.test/);
    expect(await users.createdPassword()).toMatch(/^[A-Za-z0-9]{20}$/);
    await users.row(PERSON).waitFor({ state: 'visible' });
    expect(await users.row(PERSON).getAttribute('data-role')).toBe('operator');

    await users.changeRole(PERSON, 'viewer');
    await users.waitForToast(/is now viewer/);
    expect(await users.row(PERSON).getAttribute('data-role')).toBe('viewer');

    await users.disable(PERSON);
    await users.waitForToast(/is disabled/);
    expect(await users.row(PERSON).getAttribute('data-disabled')).toBe('true');
    await browser.screenshot('admin-01-users');
  });

  it('is stopped from demoting themself as the last admin', async () => {
    const users = new AdminUsersPage(browser.page);
    await users.changeRole(ADMIN.email, 'operator');
    await users.confirm('confirm-demote');
    const message = await users.waitForToast(/last active admin/, 'error');
    expect(message).toContain('You are the last active admin');
    expect(await users.row(ADMIN.email).getAttribute('data-role')).toBe('admin');
  });

  it('creates a display token and sees it once, with the wall link', async () => {
    const tokens = new AdminTokensPage(browser.page);
    await tokens.tab('tokens').click();
    await tokens.waitUntilShown();
    shownToken = await tokens.createToken(TOKEN_NAME, 'display');
    expect(shownToken).toMatch(/^sdk_[\w-]{43}$/);
    expect((await tokens.wallLink.textContent())?.trim()).toBe(`${server.url}/wall?token=${shownToken}`);
    await tokens.row(TOKEN_NAME).waitFor({ state: 'visible' });
    await browser.screenshot('admin-02-token-shown-once');

    // The token works, until revoked.
    expect((await api(server.url, '/api/overview', { auth: { token: shownToken } })).status).toBe(200);

    await tokens.dismissSecret();
    await browser.page.reload();
    await tokens.waitUntilShown();
    await tokens.row(TOKEN_NAME).waitFor({ state: 'visible' });
    expect(await browser.page.content()).not.toContain(shownToken);
  });

  it('revokes the token after confirming, and it stops working', async () => {
    const tokens = new AdminTokensPage(browser.page);
    await tokens.revoke(TOKEN_NAME);
    await tokens.waitForToast(/is revoked/);
    expect((await tokens.row(TOKEN_NAME).getByTestId('token-status').textContent())?.trim()).toBe('Revoked');
    expect((await api(server.url, '/api/overview', { auth: { token: shownToken } })).status).toBe(401);
    await browser.screenshot('admin-03-tokens');
  });

  it('sees every step in the audit log, with the diff', async () => {
    const audit = new AdminAuditPage(browser.page);
    await audit.tab('audit').click();
    await audit.waitUntilShown();
    expect((await audit.actions()).slice(0, 5)).toEqual(['token.revoke', 'token.create', 'user.disable', 'user.change-role', 'user.create']);
    expect(await audit.changesOf('user.change-role')).toEqual(['role: operator → viewer']);
    expect(await audit.changesOf('user.disable')).toEqual(['disabled: false → true']);
    expect(await audit.changesOf('token.revoke')).toEqual(['revoked: false → true']);
    expect(await browser.page.content()).not.toContain(shownToken);
    await browser.screenshot('admin-04-audit');

    await audit.filterByAction('token.create');
    expect(await audit.actions()).toEqual(['token.create']);
  });

  it('sees a connector\'s change history on its page', async () => {
    const history = new ConnectorHistory(browser.page);
    await history.goto(server.url, CONNECTOR);
    expect(await history.actions()).toEqual(['connector.update', 'connector.create']);
    await history.root.scrollIntoViewIfNeeded();
    await browser.page.screenshot({ path: `${SCREENSHOTS}/admin-08-connector-history.png`, animations: 'disabled' });
  });

  it('looks right in the dark theme', async () => {
    await browser.page.emulateMedia({ colorScheme: 'dark' });
    const audit = new AdminAuditPage(browser.page);
    await audit.goto(server.url);
    await audit.waitUntilShown();
    await browser.screenshot('admin-05-audit-dark');
    const tokens = new AdminTokensPage(browser.page);
    await tokens.goto(server.url);
    await tokens.waitUntilShown();
    await browser.screenshot('admin-06-tokens-dark');
    await browser.page.emulateMedia({ colorScheme: 'light' });
  });
});

describe('a viewer in the browser', () => {
  it('sees no Admin link and is refused on every admin page', async () => {
    await browser.context.clearCookies();
    await browser.page.goto(`${server.url}/login`);
    await new LoginPage(browser.page).signIn(viewer.email, viewer.password);
    const nav = new NavBar(browser.page);
    await nav.waitUntilShown();
    expect(await nav.admin.count()).toBe(0);

    const users = new AdminUsersPage(browser.page);
    for (const path of ['/admin', '/admin/users', '/admin/tokens', '/admin/audit']) {
      await browser.page.goto(`${server.url}${path}`);
      await users.refused.waitFor({ state: 'visible' });
      expect(await browser.page.getByTestId('users-table').count()).toBe(0);
      expect(await browser.page.getByTestId('tokens-table').count()).toBe(0);
      expect(await browser.page.getByTestId('audit-table').count()).toBe(0);
    }
    await browser.screenshot('admin-07-viewer-refused');
  });
});
