import type { Locator, Page } from 'playwright-core';

/** What every admin page shares: section tabs, the toast, the refusal shown to non-admins, confirm dialogs. */
class AdminSection {
  readonly toast: Locator;
  readonly refused: Locator;

  constructor(readonly page: Page) {
    this.toast = page.getByTestId('admin-toast');
    this.refused = page.getByTestId('admin-refused');
  }

  /** Waits for the toast to say something matching `text` with the given tone. */
  async waitForToast(text: RegExp, tone: 'ok' | 'error' = 'ok'): Promise<string> {
    const toast = this.page.locator(`[data-testid="admin-toast"][data-tone="${tone}"]`).filter({ hasText: text });
    await toast.waitFor({ state: 'visible' });
    return ((await toast.textContent()) ?? '').trim();
  }

  /** Confirms the open dialog with this test id. */
  async confirm(dialogTestId: string): Promise<void> {
    const dialog = this.page.getByTestId(dialogTestId);
    await dialog.waitFor({ state: 'visible' });
    await dialog.getByTestId('confirm-ok').click();
    await dialog.waitFor({ state: 'hidden' });
  }

  tab(name: 'users' | 'tokens' | 'audit'): Locator {
    return this.page.getByTestId(`admin-tab-${name}`);
  }
}

/** /admin/users */
export class AdminUsersPage extends AdminSection {
  readonly root = this.page.getByTestId('users-page');
  readonly table = this.page.getByTestId('users-table');

  async goto(baseUrl: string): Promise<void> {
    await this.page.goto(`${baseUrl}/admin/users`);
  }

  async waitUntilShown(): Promise<void> {
    await this.table.waitFor({ state: 'visible' });
  }

  row(email: string): Locator {
    return this.page.locator(`[data-testid="user-row"][data-email="${email}"]`);
  }

  /** Fills the create form (password generated in the browser) and submits it. */
  async createUser(email: string, role: string): Promise<void> {
    await this.page.getByTestId('new-user-email').fill(email);
    await this.page.getByTestId('new-user-role').selectOption(role);
    await this.page.getByTestId('new-user-password-generate').click();
    await this.page.getByTestId('new-user-submit').click();
  }

  /** The first password shown once after creating a user. */
  async createdPassword(): Promise<string> {
    const value = this.page.getByTestId('user-created-password');
    await value.waitFor({ state: 'visible' });
    return ((await value.textContent()) ?? '').trim();
  }

  async changeRole(email: string, role: string): Promise<void> {
    await this.row(email).getByTestId('user-role').selectOption(role);
  }

  async disable(email: string): Promise<void> {
    await this.row(email).getByTestId('user-disable').click();
    await this.confirm('confirm-disable');
  }
}

/** /admin/tokens */
export class AdminTokensPage extends AdminSection {
  readonly root = this.page.getByTestId('tokens-page');
  readonly secret = this.page.getByTestId('token-secret');
  readonly secretValue = this.page.getByTestId('token-value');
  readonly wallLink = this.page.getByTestId('token-wall-link');

  async goto(baseUrl: string): Promise<void> {
    await this.page.goto(`${baseUrl}/admin/tokens`);
  }

  async waitUntilShown(): Promise<void> {
    await this.page.getByTestId('token-create-form').waitFor({ state: 'visible' });
    await this.page.locator('[data-testid="tokens-table"], [data-testid="tokens-empty"]').first().waitFor({ state: 'visible' });
  }

  row(name: string): Locator {
    return this.page.locator(`[data-testid="token-row"][data-name="${name}"]`);
  }

  /** Creates a token and returns the clear text shown once. */
  async createToken(name: string, role: string): Promise<string> {
    await this.page.getByTestId('new-token-name').fill(name);
    await this.page.getByTestId('new-token-role').selectOption(role);
    await this.page.getByTestId('new-token-submit').click();
    await this.secretValue.waitFor({ state: 'visible' });
    return ((await this.secretValue.textContent()) ?? '').trim();
  }

  async dismissSecret(): Promise<void> {
    await this.page.getByTestId('token-secret-done').click();
    await this.secret.waitFor({ state: 'hidden' });
  }

  async revoke(name: string): Promise<void> {
    await this.row(name).getByTestId('token-revoke').click();
    await this.confirm('confirm-revoke');
    await this.page.locator(`[data-testid="token-row"][data-name="${name}"][data-revoked="true"]`).waitFor({ state: 'visible' });
  }
}

/** The change history on a connector's page (admins only). */
export class ConnectorHistory {
  readonly root: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('connector-audit');
  }

  async goto(baseUrl: string, connectorId: string): Promise<void> {
    await this.page.goto(`${baseUrl}/connectors/${encodeURIComponent(connectorId)}`);
    await this.page.getByTestId('connector-page').waitFor({ state: 'visible' });
  }

  async actions(): Promise<string[]> {
    await this.root.locator('[data-testid="audit-table"], [data-testid="connector-audit-empty"]').first().waitFor({ state: 'visible' });
    return this.root.getByTestId('audit-row').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-action') ?? ''));
  }
}

/** /admin/audit */
export class AdminAuditPage extends AdminSection {
  readonly root = this.page.getByTestId('audit-page');
  readonly rows = this.page.getByTestId('audit-row');

  async goto(baseUrl: string): Promise<void> {
    await this.page.goto(`${baseUrl}/admin/audit`);
  }

  async waitUntilShown(): Promise<void> {
    await this.page.locator('[data-testid="audit-table"], [data-testid="audit-empty"]').first().waitFor({ state: 'visible' });
  }

  /** The actions of the rows shown, top to bottom. */
  async actions(): Promise<string[]> {
    return this.rows.evaluateAll((rows) => rows.map((row) => row.getAttribute('data-action') ?? ''));
  }

  /** The change lines of the first row with this action, as text (`role: operator → viewer`). */
  async changesOf(action: string): Promise<string[]> {
    const row = this.page.locator(`[data-testid="audit-row"][data-action="${action}"]`).first();
    return (await row.getByTestId('audit-change').allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim());
  }

  async filterByAction(action: string): Promise<void> {
    await this.page.getByTestId('audit-filter-action').selectOption(action);
    await this.page.waitForURL((url) => url.searchParams.get('action') === action);
    // The unfiltered rows stay until the filtered page arrives: wait until every row shown is of this action.
    await this.page.waitForFunction((wanted) => {
      const rows = [...document.querySelectorAll('[data-testid="audit-row"]')];
      const empty = document.querySelector('[data-testid="audit-empty"]');
      return rows.length > 0 ? rows.every((row) => row.getAttribute('data-action') === wanted) : empty !== null;
    }, action);
  }
}
