import type { Locator, Page } from 'playwright-core';

export type LiveState = 'live' | 'reconnecting' | 'stale';

/** The dashboard's top navigation, with the live connection's indicator. */
export class NavBar {
  readonly overview: Locator;
  readonly runs: Locator;
  readonly admin: Locator;
  readonly signOut: Locator;

  constructor(readonly page: Page) {
    this.overview = page.getByTestId('nav-overview');
    this.runs = page.getByTestId('nav-runs');
    this.admin = page.getByTestId('nav-admin');
    this.signOut = page.getByTestId('sign-out');
  }

  async waitUntilShown(): Promise<void> {
    await this.overview.waitFor({ state: 'visible' });
  }

  /** Waits until the live indicator shows `state`. */
  async waitForLiveState(state: LiveState, timeout = 30_000): Promise<void> {
    await this.page.locator(`[data-testid="live-indicator"][data-state="${state}"]`).waitFor({ state: 'visible', timeout });
  }
}
