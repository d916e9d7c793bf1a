import type { Locator, Page } from 'playwright-core';

/** The sign-in page (/login). */
export class LoginPage {
  readonly email: Locator;
  readonly password: Locator;
  readonly submit: Locator;
  readonly error: Locator;

  constructor(readonly page: Page) {
    this.email = page.getByTestId('login-email');
    this.password = page.getByTestId('login-password');
    this.submit = page.getByTestId('login-submit');
    this.error = page.getByTestId('login-error');
  }

  /** True when the browser is on /login (with or without a callbackUrl). */
  isCurrent(): boolean {
    return new URL(this.page.url()).pathname === '/login';
  }

  async waitUntilShown(): Promise<void> {
    await this.page.waitForURL((url) => url.pathname === '/login');
    await this.email.waitFor({ state: 'visible' });
  }

  async fill(email: string, password: string): Promise<void> {
    await this.email.fill(email);
    await this.password.fill(password);
  }

  /** Signs in and waits until the browser has left the login page. */
  async signIn(email: string, password: string): Promise<void> {
    await this.fill(email, password);
    await this.submit.click();
    await this.page.waitForURL((url) => url.pathname !== '/login');
  }

  /** Tries to sign in with bad credentials and returns the error shown. */
  async signInExpectingError(email: string, password: string): Promise<string> {
    await this.fill(email, password);
    await this.submit.click();
    await this.error.waitFor({ state: 'visible' });
    return (await this.error.textContent())?.trim() ?? '';
  }
}
