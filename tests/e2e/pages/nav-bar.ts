import type { Locator, Page } from 'playwright-core';

/** The dashboard's top navigation. */
export class NavBar {
  readonly overview: Locator;
  readonly runs: Locator;
  readonly admin: Locator;

  constructor(readonly page: Page) {
    this.overview = page.getByTestId('nav-overview');
    this.runs = page.getByTestId('nav-runs');
    this.admin = page.getByTestId('nav-admin');
  }

  async waitUntilShown(): Promise<void> {
    await this.overview.waitFor({ state: 'visible' });
  }
}
