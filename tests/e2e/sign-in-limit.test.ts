import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SIGN_IN_LIMITS } from '@/lib/auth/sign-in-limit';
import { LoginFailed, login } from '../support/api';
import { ADMIN, startServer, type TestServer } from '../support/server';
import { launchBrowser, type TestBrowser } from './browser';
import { LoginPage } from './pages/login-page';

/** The login form when the sign-in limits refuse: it says how long to wait. */

let server: TestServer;
let browser: TestBrowser;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

afterEach(async (context) => {
  if (context.task.result?.state === 'fail' && browser) await browser.screenshot('failed-sign-in-limit').catch(() => undefined);
});

afterAll(async () => {
  await browser?.close();
  expect((await server?.dispose())?.orphans ?? []).toEqual([]);
});

describe('login form under the sign-in limits', () => {
  it('tells a rate-limited user how many seconds to wait', async () => {
    // The failures come from this machine's address, the same as the browser's.
    for (let i = 0; i < SIGN_IN_LIMITS.pair; i++) await expect(login(server.url, ADMIN.email, 'not-the-password-123')).rejects.toBeInstanceOf(LoginFailed);
    const loginPage = new LoginPage(browser.page);
    await browser.page.goto(`${server.url}/login`);
    await loginPage.waitUntilShown();
    const message = await loginPage.signInExpectingError(ADMIN.email, ADMIN.password);
    expect(message).toMatch(/Too many sign-in attempts; try again in \d+ (s|min)\.$/);
    expect(loginPage.isCurrent()).toBe(true);
    await browser.screenshot('sign-in-rate-limited');
  });
});
