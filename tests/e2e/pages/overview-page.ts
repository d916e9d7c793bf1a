import type { Locator, Page } from 'playwright-core';
import { NavBar, type LiveState } from './nav-bar';

export type StatusFilter = 'all' | 'running' | 'failing' | 'disabled' | 'healthy';

/** One connector on the overview: a card, or a row in the table layout (same test ids inside). */
export class ConnectorCard {
  readonly status: Locator;
  readonly progressBar: Locator;
  readonly lastRun: Locator;
  readonly nextRun: Locator;
  readonly runNow: Locator;
  readonly successRate: Locator;
  readonly failureStreak: Locator;
  readonly sparkline: Locator;

  constructor(readonly root: Locator) {
    this.status = root.getByTestId('connector-status');
    this.progressBar = root.getByTestId('progress-bar');
    this.lastRun = root.getByTestId('last-run');
    this.nextRun = root.getByTestId('next-run');
    this.runNow = root.getByTestId('run-now');
    this.successRate = root.getByTestId('success-rate');
    this.failureStreak = root.getByTestId('failure-streak');
    this.sparkline = root.getByTestId('duration-sparkline');
  }

  async statusText(): Promise<string> {
    return ((await this.status.textContent()) ?? '').trim();
  }

  /** Waits until the status badge reads `label` (e.g. Running, Succeeded). */
  async waitForStatus(label: string, timeout = 60_000): Promise<void> {
    await this.root.getByTestId('connector-status').filter({ hasText: new RegExp(`^\\s*${label}\\s*$`) }).waitFor({ state: 'visible', timeout });
  }
}

/** The dashboard home (/): connector cards or rows, filters, summary charts and the live indicator in the top bar. */
export class OverviewPage {
  readonly cards: Locator;
  readonly rows: Locator;
  readonly liveIndicator: Locator;
  readonly search: Locator;
  readonly shownCount: Locator;
  readonly noMatch: Locator;
  readonly runsPerHourChart: Locator;
  readonly durationsChart: Locator;

  constructor(readonly page: Page) {
    this.cards = page.getByTestId('connector-card');
    this.rows = page.getByTestId('connector-row');
    this.liveIndicator = page.getByTestId('live-indicator');
    this.search = page.getByTestId('overview-search');
    this.shownCount = page.getByTestId('overview-shown');
    this.noMatch = page.getByTestId('connectors-no-match');
    this.runsPerHourChart = page.getByTestId('chart-runs-per-hour');
    this.durationsChart = page.getByTestId('chart-connector-durations');
  }

  async goto(baseUrl: string, query = ''): Promise<void> {
    await this.page.goto(`${baseUrl}/${query}`);
  }

  async waitUntilShown(): Promise<void> {
    await this.page.waitForURL((url) => url.pathname === '/');
    await this.liveIndicator.waitFor({ state: 'visible' });
  }

  card(connectorId: string): ConnectorCard {
    return new ConnectorCard(this.page.locator(`[data-testid="connector-card"][data-connector-id="${connectorId}"]`));
  }

  row(connectorId: string): ConnectorCard {
    return new ConnectorCard(this.page.locator(`[data-testid="connector-row"][data-connector-id="${connectorId}"]`));
  }

  /** Ids of the connectors shown as cards or rows, in page order. */
  async shownIds(): Promise<string[]> {
    const ids = await this.page.locator('[data-testid="connector-card"], [data-testid="connector-row"]').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-connector-id') ?? ''));
    return ids;
  }

  async filterStatus(status: StatusFilter): Promise<void> {
    await this.page.getByTestId(`status-filter-${status}`).click();
  }

  async showAs(view: 'cards' | 'table'): Promise<void> {
    await this.page.getByTestId(`view-${view}`).click();
  }

  /** Waits until a chart has finished loading; answers its state (ready, empty, error). */
  async chartState(chart: Locator): Promise<string | null> {
    await chart.and(this.page.locator('[data-state="ready"], [data-state="empty"], [data-state="error"]')).waitFor({ state: 'visible' });
    return chart.getAttribute('data-state');
  }

  async liveState(): Promise<string | null> {
    return this.liveIndicator.getAttribute('data-state');
  }

  /** Waits until the live indicator shows `state`. */
  async waitForLiveState(state: LiveState, timeout = 30_000): Promise<void> {
    await new NavBar(this.page).waitForLiveState(state, timeout);
  }
}
