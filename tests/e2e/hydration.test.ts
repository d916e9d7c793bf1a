import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, eventually, login, type Auth } from '../support/api';
import { ADMIN, startServer, type TestServer } from '../support/server';
import { launchBrowser, type TestBrowser } from './browser';
import { LoginPage } from './pages/login-page';
import { NavBar } from './pages/nav-bar';

/**
 * Pages with a loading state stream their content after the page shell. The page's clock and live connection
 * start as soon as the shell hydrates; their ticks and status changes must not make React throw away the HTML the
 * server streams later and render the content again in the browser (a second copy of the page, briefly both in the
 * document). A proxy between browser and server holds back the HTML after the shell, so the content always arrives
 * after the shell has hydrated and the clock has ticked.
 */

const CONNECTOR = 'e2e-streamed';
/** How long the proxy holds back the rest of a page: well past hydration and the clock's first ticks. */
const HOLD_MS = 2500;

let server: TestServer;
let proxy: http.Server;
let proxyUrl: string;
let browser: TestBrowser;
let admin: Auth;
const pageErrors: string[] = [];

/** Where React's streamed HTML puts content that arrives after the shell: a hidden segment, revealed by a script. */
const SEGMENT = '<div hidden id="S:';
/** The scripts that carry the page's data for the browser's React (Next's inline flight chunks). */
const FLIGHT = /<script>\(?self\.__next_f\b[\s\S]*?<\/script>/g;
/** Bytes of page HTML the proxy held back, per path. */
const heldBytes = new Map<string, number>();

/**
 * Forwards everything to the server. The HTML of connector and run pages goes on up to its first streamed segment;
 * from there on, the data scripts go on at once and the HTML follows HOLD_MS later. The browser then has all it
 * needs to render the content itself, and hydrating the HTML the server sent instead has to be a choice.
 */
async function startProxy(target: URL): Promise<http.Server> {
  const delayed = (req: http.IncomingMessage) => /^\/(connectors|runs)\/[^/?]+$/.test(req.url ?? '') && !req.headers.rsc;
  const proxy = http.createServer((req, res) => {
    // The HTML is read on its way through, so it must come uncompressed.
    const headers = delayed(req) ? { ...req.headers, 'accept-encoding': 'identity' } : req.headers;
    const upstream = http.request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      if (!delayed(req)) return void answer.pipe(res);
      // latin1 maps bytes to characters one to one, so slicing the text slices the bytes.
      let text = '';
      let sent = 0;
      let held: string | null = null;
      answer.on('data', (chunk: Buffer) => {
        if (held === null) {
          text += chunk.toString('latin1');
          const at = text.indexOf(SEGMENT, Math.max(0, sent - SEGMENT.length));
          // Without the marker yet, keep back a tail that could be its beginning.
          const until = at >= 0 ? at : Math.max(sent, text.length - SEGMENT.length + 1);
          res.write(Buffer.from(text.slice(sent, until), 'latin1'));
          sent = until;
          if (at < 0) return;
          held = text.slice(at);
        } else {
          held += chunk.toString('latin1');
        }
        const scripts = held.match(FLIGHT) ?? [];
        held = held.replace(FLIGHT, '');
        if (scripts.length > 0) res.write(Buffer.from(scripts.join(''), 'latin1'));
      });
      answer.on('end', () => {
        const rest = Buffer.from(held ?? text.slice(sent), 'latin1');
        heldBytes.set(req.url ?? '', held === null ? 0 : rest.length);
        setTimeout(() => res.end(rest), held === null ? 0 : HOLD_MS);
      });
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  proxy.on('upgrade', (req: http.IncomingMessage, socket: net.Socket, head: Buffer) => {
    const upstream = net.connect(Number(target.port), target.hostname, () => {
      const lines = [`${req.method} ${req.url} HTTP/1.1`];
      for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
      upstream.write(head);
      upstream.pipe(socket).pipe(upstream);
    });
    const close = () => (upstream.destroy(), socket.destroy());
    upstream.on('error', close);
    socket.on('error', close);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  return proxy;
}

/** Runs in the page: remembers every distinct page root (an element whose test id ends in "-page") that enters it. */
function watchRoots(): void {
  const seen = new Set<Element>();
  Object.assign(window, { __roots: seen });
  const isRoot = (element: Element) => /-page$/.test(element.getAttribute('data-testid') ?? '');
  new MutationObserver((mutations) => {
    for (const mutation of mutations)
      for (const node of mutation.addedNodes) {
        if (!(node instanceof Element)) continue;
        for (const element of [node, ...node.querySelectorAll('[data-testid$="-page"]')]) if (isRoot(element)) seen.add(element);
      }
  }).observe(document, { childList: true, subtree: true });
}

/** Opens `path` through the proxy; answers how many distinct page roots with `testId` the page ever held. */
async function openStreamed(path: string, testId: string): Promise<number> {
  await browser.page.goto(`${proxyUrl}${path}`, { waitUntil: 'commit' });
  await browser.page.locator(`main [data-testid="${testId}"]`).waitFor({ state: 'visible' });
  await browser.page.waitForLoadState('load');
  expect(heldBytes.get(path), 'the page streamed its content after the shell').toBeGreaterThan(0);
  expect(pageErrors).toEqual([]);
  return browser.page.evaluate(
    (id) => [...(window as unknown as { __roots: Set<Element> }).__roots].filter((root) => root.getAttribute('data-testid') === id).length,
    testId,
  );
}

beforeAll(async () => {
  server = await startServer();
  proxy = await startProxy(new URL(server.url));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as net.AddressInfo).port}`;
  admin = { cookie: await login(server.url, ADMIN.email, ADMIN.password) };
  const created = await api(server.url, '/api/connectors', {
    auth: admin,
    body: { id: CONNECTOR, name: 'E2E streamed', kind: 'demo', config: { records: 10, pageSize: 5, pageDelayMs: 0, failureRate: 0 } },
  });
  expect(created.status).toBe(201);
  browser = await launchBrowser();
  await browser.page.addInitScript(watchRoots);
  browser.page.on('pageerror', (error) => pageErrors.push(error.message));
  await browser.page.goto(`${server.url}/login`);
  await new LoginPage(browser.page).signIn(ADMIN.email, ADMIN.password);
  await browser.page.waitForURL((url) => url.pathname === '/');
});

afterAll(async () => {
  await browser?.close();
  if (proxy) {
    const closed = new Promise((resolve) => proxy.close(resolve));
    proxy.closeAllConnections();
    await closed;
  }
  await server?.dispose();
});

describe('a page whose content streams in late', () => {
  it('hydrates the connector page the server sent instead of rendering it again', async () => {
    expect(await openStreamed(`/connectors/${CONNECTOR}`, 'connector-page')).toBe(1);
    await new NavBar(browser.page).waitForLiveState('live');
  });

  it('hydrates the run page the server sent instead of rendering it again', async () => {
    const started = await api<{ runId: string }>(server.url, `/api/connectors/${CONNECTOR}/run`, { method: 'POST', auth: admin });
    expect(started.status).toBe(202);
    const runId = started.body.runId;
    await eventually(async () => (await api<{ status: string }>(server.url, `/api/runs/${runId}`, { auth: admin })).body.status === 'succeeded', { what: 'the run to succeed' });
    expect(await openStreamed(`/runs/${runId}`, 'run-page')).toBe(1);
  });
});
