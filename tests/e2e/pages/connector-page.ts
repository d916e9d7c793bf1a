import type { Locator, Page } from 'playwright-core';

/** The connector detail page (/connectors/{id}): header controls, schedules, policies and the runs table. */
export class ConnectorPage {
  readonly root: Locator;
  readonly status: Locator;
  readonly runNow: Locator;
  readonly cancelRun: Locator;
  readonly schedules: Locator;
  readonly scheduleSave: Locator;
  readonly scheduleFeedback: Locator;
  readonly policies: Locator;
  readonly runRows: Locator;

  constructor(readonly page: Page) {
    // Scoped to <main>: while a page streams in, React keeps a hidden copy of it in the document for a moment.
    this.root = page.locator('main [data-testid="connector-page"]');
    this.status = this.root.getByTestId('connector-status');
    this.runNow = this.root.getByTestId('run-now');
    this.cancelRun = this.root.getByTestId('cancel-run');
    this.schedules = this.root.getByTestId('schedules');
    this.scheduleSave = this.root.getByTestId('schedule-save');
    this.scheduleFeedback = this.root.getByTestId('schedule-feedback');
    this.policies = this.root.getByTestId('policies');
    this.runRows = this.root.getByTestId('run-row');
  }

  async goto(baseUrl: string, connectorId: string): Promise<void> {
    await this.page.goto(`${baseUrl}/connectors/${encodeURIComponent(connectorId)}`);
    await this.root.waitFor({ state: 'visible' });
  }

  /** Waits until the status badge reads `label` (Running, Succeeded, Cancelled, …). */
  async waitForStatus(label: string, timeout = 60_000): Promise<void> {
    await this.root.getByTestId('connector-status').filter({ hasText: new RegExp(`^\\s*${label}\\s*$`) }).waitFor({ state: 'visible', timeout });
  }

  schedule(id: string): Locator {
    return this.schedules.locator(`[data-testid="schedule-row"][data-schedule-id="${id}"]`);
  }

  /** Asks to cancel the going run and confirms in the dialog. */
  async cancelAndConfirm(): Promise<void> {
    await this.cancelRun.click();
    await this.page.getByTestId('cancel-confirm').getByTestId('confirm-ok').click();
  }

  runRow(status: string): Locator {
    return this.runRows.and(this.page.locator(`[data-status="${status}"]`));
  }
}
