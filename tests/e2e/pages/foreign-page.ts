import type { Frame, Page } from 'playwright-core';

/** What the page on another origin saw: its fetches settled, and the Socket.IO handshake's answer. */
export interface ForeignOutcome {
  fetches: string[];
  socket: string;
}

/**
 * The attacker's page, served from another origin (another port on the same host: same site, so the browser sends
 * Syncdeck's SameSite=Lax cookies along). It auto-submits forms into frames of its own, fires no-cors fetches and
 * opens Syncdeck's Socket.IO endpoint, then sets `window.outcome`.
 */
export class ForeignPage {
  constructor(readonly page: Page) {}

  async open(url: string): Promise<void> {
    await this.page.goto(url);
  }

  /** Waits until the page's fetches and socket attempt have settled. */
  async outcome(): Promise<ForeignOutcome> {
    const handle = await this.page.waitForFunction(() => (window as unknown as { outcome?: unknown }).outcome, undefined, { timeout: 30_000 });
    return (await handle.jsonValue()) as ForeignOutcome;
  }

  /** The answer a form's target frame shows, once it shows one. */
  async formAnswer(name: string): Promise<string> {
    const frame = await this.frame(name);
    await frame.waitForFunction(() => document.body !== null && document.body.innerText.trim().length > 0, undefined, { timeout: 30_000 });
    return frame.evaluate(() => document.body.innerText);
  }

  private async frame(name: string): Promise<Frame> {
    const element = await this.page.waitForSelector(`iframe[name="${name}"]`);
    for (;;) {
      const frame = await element.contentFrame();
      if (frame && frame.url().startsWith('http') && !frame.url().startsWith(new URL(this.page.url()).origin)) return frame;
      await this.page.waitForTimeout(100);
    }
  }
}
