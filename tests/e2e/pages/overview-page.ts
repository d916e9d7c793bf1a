import type { Locator, Page } from 'playwright-core';

export type LiveState = 'live' | 'reconnecting' | 'stale';

/** One connector card on the overview. */
export class ConnectorCard {
  readonly status: Locator;
  readonly progressBar: Locator;
  readonly lastRun: Locator;
  readonly nextRun: Locator;
  readonly runNow: Locator;

  constructor(readonly root: Locator) {
    this.status = root.getByTestId('connector-status');
    this.progressBar = root.getByTestId('progress-bar');
    this.lastRun = root.getByTestId('last-run');
    this.nextRun = root.getByTestId('next-run');
    this.runNow = root.getByTestId('run-now');
  }

  async statusText(): Promise<string> {
    return ((await this.status.textContent()) ?? '').trim();
  }

  /** Waits until the status badge reads `label` (e.g. Running, Succeeded). */
  async waitForStatus(label: string, timeout = 60_000): Promise<void> {
    await this.root.getByTestId('connector-status').filter({ hasText: new RegExp(`^\\s*${label}\\s*$`) }).waitFor({ state: 'visible', timeout });
  }
}

/** The dashboard home (/): connector cards and the live indicator in the top bar. */
export class OverviewPage {
  readonly cards: Locator;
  readonly liveIndicator: Locator;

  constructor(readonly page: Page) {
    this.cards = page.getByTestId('connector-card');
    this.liveIndicator = page.getByTestId('live-indicator');
  }

  async goto(baseUrl: string): Promise<void> {
    await this.page.goto(`${baseUrl}/`);
  }

  async waitUntilShown(): Promise<void> {
    await this.page.waitForURL((url) => url.pathname === '/');
    await this.liveIndicator.waitFor({ state: 'visible' });
  }

  card(connectorId: string): ConnectorCard {
    return new ConnectorCard(this.page.locator(`[data-testid="connector-card"][data-connector-id="${connectorId}"]`));
  }

  async liveState(): Promise<string | null> {
    return this.liveIndicator.getAttribute('data-state');
  }

  /** Waits until the live indicator shows `state`. */
  async waitForLiveState(state: LiveState, timeout = 30_000): Promise<void> {
    await this.page.locator(`[data-testid="live-indicator"][data-state="${state}"]`).waitFor({ state: 'visible', timeout });
  }
}
