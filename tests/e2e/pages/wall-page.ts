import type { Locator, Page } from 'playwright-core';

/** One connector tile on the wall. */
export class WallTile {
  readonly status: Locator;
  readonly progressBar: Locator;
  readonly streak: Locator;

  constructor(readonly root: Locator) {
    this.status = root.getByTestId('wall-status');
    this.progressBar = root.getByTestId('wall-progress');
    this.streak = root.getByTestId('wall-streak');
  }

  /** Waits until the tile's status reads `label` (Running, Succeeded, Failed…). */
  async waitForStatus(label: string, timeout = 60_000): Promise<void> {
    await this.status.filter({ hasText: new RegExp(`^\\s*${label}\\s*$`) }).waitFor({ state: 'visible', timeout });
  }
}

export type WallState = 'live' | 'reconnecting' | 'stale' | 'revoked';

/** The wall screen (/wall). */
export class WallPage {
  readonly root: Locator;
  readonly alert: Locator;
  readonly upcoming: Locator;
  readonly charts: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('wall');
    this.alert = page.getByTestId('wall-alert');
    this.upcoming = page.getByTestId('wall-upcoming');
    this.charts = page.getByTestId('wall-charts');
  }

  /** Opens a display link and waits for the wall it redirects to. */
  async openLink(baseUrl: string, token: string): Promise<void> {
    await this.page.goto(`${baseUrl}/wall?token=${encodeURIComponent(token)}`);
    await this.waitUntilShown();
  }

  async waitUntilShown(): Promise<void> {
    await this.page.waitForURL((url) => url.pathname === '/wall');
    await this.root.waitFor({ state: 'visible' });
  }

  tile(connectorId: string): WallTile {
    return new WallTile(this.page.locator(`[data-testid="wall-tile"][data-connector-id="${connectorId}"]`));
  }

  /** Waits until the wall shows `state` (live, or the banner of reconnecting, stale or revoked). */
  async waitForState(state: WallState, timeout = 30_000): Promise<void> {
    await this.page.locator(`[data-testid="wall"][data-state="${state}"]`).waitFor({ state: 'visible', timeout });
  }

  /** Waits until the chart carousel shows the panel `id` (runs-per-hour, durations, streaks). */
  async waitForPanel(id: string, timeout = 30_000): Promise<void> {
    await this.page.locator(`[data-testid="wall-charts"][data-panel="${id}"]`).waitFor({ state: 'visible', timeout });
  }

  /** Whether the page can scroll: the wall must fit its screen. */
  async scrolls(): Promise<boolean> {
    return this.page.evaluate(() => document.documentElement.scrollHeight > window.innerHeight || document.documentElement.scrollWidth > window.innerWidth);
  }
}
