/**
 * `npm run bench:push`: how fast live events reach many dashboards, what each connection costs the server, and how
 * the overview holds up with a large fleet and a long history.
 *
 * Starts one real server (tests/support/server.ts, production build, Node with --expose-gc so heap figures are
 * measured after a full collection), then:
 *   1. the overview at scale: creates --connectors connectors through the REST API, inserts --runs finished runs
 *      over the last 30 days directly into the database (bulk), and measures GET /api/overview p50/p95 over
 *      --requests sequential requests (and GET /api/overview/stats the same way), the first contentful paint of
 *      the overview in headless Chromium, and the gzipped size of the JavaScript the overview page loads;
 *   2. push: after a warm-up batch that connects and leaves, for each socket count in --sockets (default 500,
 *      then 2000 in all), connects authenticated dashboards (API tokens made in the database; lean clients or
 *      socket.io-client, in one worker thread per core: dashboards.ts) subscribed to the overview, measures the
 *      server heap per added socket (GET /api/metrics?gc=true before and after), keeps --running demo runs
 *      emitting progress, and measures emit -> receive latency for --seconds: receive time minus the `at` stamp the
 *      server puts on every `sync:progress` (dashboards share the server's clock: same machine), with the CPU the
 *      server, the database and the dashboards used meanwhile.
 * It is a benchmark, not a test: it prints its figures and whether each goal is met, and exits 0 either way; only
 * a failure of the benchmark itself exits non-zero. Everything it starts is stopped by PID at the end, on error,
 * and on Ctrl-C (twice: SIGKILL).
 *
 *   node --import tsx tools/bench/push.ts [--sockets 500,2000] [--seconds 20] [--running 4]
 *                                         [--connectors 500] [--runs 100000] [--requests 50] [--client lean]
 *                                         [--quick]
 */
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import type { AnyBulkWriteOperation, Db } from 'mongodb';
import type { Response as PageResponse } from 'playwright-core';
import { noteFiguresChanged, type ConnectorStatsDoc } from '../../lib/connectors/figures';
import type { RunStatus } from '../../lib/domain/run';
import { newRunDoc, runs as runsOf, type RunDoc } from '../../lib/runs/store';
import { launchBrowser } from '../../tests/e2e/browser';
import { api, login, type Auth } from '../../tests/support/api';
import { connectDatabase, createToken, type TestDatabase } from '../../tests/support/database';
import { cpuSeconds, descendantsOf } from '../../tests/support/processes';
import { ADMIN, startServer, type TestServer } from '../../tests/support/server';
import { buildIsStale } from '../start';
import { Dashboards } from './dashboards';
import { killTree, stopOnInterrupt, UsageError, wholeNumberOption } from './options';
import { mapLimit, ms, percentile, summarize, table, type Summary } from './stats';
import { collections } from '../../lib/store/collections';

const USAGE = `Usage: npm run bench:push -- [options]

  --sockets <a,b,…>   socket counts measured one after the other, ascending (default 500,2000; --quick: 100,300)
  --seconds <n>       seconds of latency measurement per socket count (default 20; --quick: 8)
  --running <n>       demo runs emitting progress during the measurement (default 4)
  --connectors <n>    connectors in the fleet for the overview figures (default 500; --quick: 100)
  --runs <n>          finished runs inserted into the history (default 100000; --quick: 10000)
  --requests <n>      sequential GET /api/overview requests for its p95 (default 50)
  --client <kind>     lean (default): WebSockets speaking Socket.IO's protocol with little decoding (lean-socket.ts);
                      socket.io: socket.io-client instances, as a browser runs them. Either way the dashboards are
                      spread over one worker thread per core (dashboards.ts)
  --quick             smoke run with small numbers
  --help`;

const GOALS = {
  p99At500Ms: 25,
  p99At2000Ms: 100,
  heapPerSocketBytes: 10 * 1024,
  overviewP95Ms: 100,
  firstPaintMs: 1000,
  jsGzipBytes: 250 * 1024,
} as const;

interface Options {
  sockets: number[];
  seconds: number;
  running: number;
  connectors: number;
  runs: number;
  requests: number;
  quick: boolean;
  client: 'lean' | 'socket.io';
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      sockets: { type: 'string' },
      seconds: { type: 'string' },
      running: { type: 'string' },
      connectors: { type: 'string' },
      runs: { type: 'string' },
      requests: { type: 'string' },
      client: { type: 'string', default: 'lean' },
      quick: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const int = wholeNumberOption;
  const quick = values.quick!;
  if (values.client !== 'lean' && values.client !== 'socket.io') throw new UsageError(`--client: must be lean or socket.io (got ${values.client})`);
  const sockets = (values.sockets ?? (quick ? '100,300' : '500,2000')).split(',').map((v) => int('sockets', v.trim(), 0, 1, 10_000));
  if (sockets.some((n, i) => i > 0 && n <= sockets[i - 1]!)) throw new UsageError('--sockets: counts must ascend (e.g. 500,2000)');
  return {
    quick,
    sockets,
    seconds: int('seconds', values.seconds, quick ? 8 : 20, 1, 600),
    running: int('running', values.running, 4, 1, 50),
    connectors: int('connectors', values.connectors, quick ? 100 : 500, 1, 5000),
    runs: int('runs', values.runs, quick ? 10_000 : 100_000, 0, 2_000_000),
    requests: int('requests', values.requests, 50, 5, 10_000),
    client: values.client,
  };
}

const say = (line: string) => process.stderr.write(`[bench:push] ${line}\n`);
const kb = (bytes: number | null) => (bytes === null ? '-' : `${(bytes / 1024).toFixed(1)} KB`);

// ---------------------------------------------------------------------------------------------------------------
// What the benchmark started, so every exit path stops it by PID

const started: { server?: TestServer; dashboards?: Dashboards; database?: TestDatabase } = {};

async function cleanup(): Promise<void> {
  await started.dashboards?.terminate();
  started.dashboards = undefined;
  await started.database?.close().catch(() => undefined);
  started.database = undefined;
  if (started.server) {
    const result = await started.server.dispose();
    if (result.orphans.length) say(`killed ${result.orphans.length} leftover process(es): ${result.orphans.map((p) => `${p.name}(${p.pid})`).join(', ')}`);
    started.server = undefined;
  }
}

stopOnInterrupt({
  say,
  what: 'the server',
  stop: cleanup,
  kill: () => {
    if (started.server) killTree(started.server.pid);
  },
});

// ---------------------------------------------------------------------------------------------------------------
// The fleet and its history

const DAY_MS = 86_400_000;
const FLEET_PREFIX = 'fleet-';

async function createFleet(url: string, auth: Auth, count: number): Promise<string[]> {
  const ids = Array.from({ length: count }, (_, i) => `${FLEET_PREFIX}${String(i + 1).padStart(4, '0')}`);
  let done = 0;
  await mapLimit(ids, 4, async (id, i) => {
    const res = await api(url, '/api/connectors', {
      auth,
      body: {
        id,
        name: `Fleet sync ${String(i + 1).padStart(4, '0')} ${['CRM', 'Inventory', 'Helpdesk', 'Billing', 'Stock'][i % 5]}`,
        kind: 'demo',
        config: { records: 10, pageSize: 10, pageDelayMs: 0, failureRate: 0 },
        // Nightly: they show a next run but do not fire during the benchmark.
        schedules: [{ id: 'nightly', type: 'cron', cron: `${i % 60} 3 * * *`, timezone: 'Europe/Berlin' }],
      },
    });
    if (res.status !== 201) throw new Error(`creating connector ${id} answered ${res.status}: ${JSON.stringify(res.body).slice(0, 200)}`);
    if (++done % 100 === 0) say(`  ${done}/${count} connectors`);
  });
  return ids;
}

/** Finished runs spread over the last 30 days, newest last per connector; about 8% fail, 2% are skipped. */
async function insertHistory(db: Db, ids: string[], total: number): Promise<void> {
  const now = Date.now();
  const perConnector = Math.ceil(total / ids.length);
  const spacing = (30 * DAY_MS) / perConnector;
  const last = new Map<string, RunDoc>();
  const streak = new Map<string, number>();
  let batch: RunDoc[] = [];
  let inserted = 0;
  const flush = async () => {
    if (!batch.length) return;
    await runsOf(db).insertMany(batch, { ordered: false });
    inserted += batch.length;
    batch = [];
    if (inserted % 20_000 < 5000) say(`  ${inserted}/${total} runs`);
  };
  for (let n = 0; n < perConnector && inserted + batch.length < total; n++) {
    for (const connectorId of ids) {
      if (inserted + batch.length >= total) break;
      const roll = Math.random();
      const status: RunStatus = roll < 0.08 ? 'failed' : roll < 0.1 ? 'skipped' : 'succeeded';
      const queuedAt = new Date(now - 30 * DAY_MS + n * spacing + Math.random() * spacing * 0.5);
      const durationMs = status === 'skipped' ? 0 : Math.round(500 + Math.random() * 4000 * (1 + (ids.indexOf(connectorId) % 7)));
      const finishedAt = new Date(queuedAt.getTime() + durationMs + 20);
      const fetched = status === 'skipped' ? 0 : 50 + Math.floor(Math.random() * 400);
      const run = newRunDoc({
        _id: `${connectorId}:bench:${n}`,
        connectorId,
        trigger: 'scheduled',
        initiatedBy: 'scheduler',
        status,
        queuedAt,
        startedAt: new Date(queuedAt.getTime() + 20),
        finishedAt,
        durationMs,
        counts: { fetched, created: Math.floor(fetched / 10), updated: Math.floor(fetched / 5), unchanged: fetched - Math.floor(fetched / 10) - Math.floor(fetched / 5), skipped: 0, failed: 0 },
        ...(status === 'failed' ? { error: { kind: 'upstream', message: 'Upstream answered 503 Service Unavailable' } } : {}),
        ...(status === 'skipped' ? { reason: 'the previous run was still going' } : {}),
        log: [
          { at: queuedAt, level: 'info', message: 'scheduled run started' },
          { at: finishedAt, level: status === 'failed' ? 'error' : 'info', message: status === 'failed' ? 'Upstream answered 503' : `done: ${fetched} fetched` },
        ],
      });
      batch.push(run);
      if (status !== 'skipped') {
        last.set(connectorId, run);
        streak.set(connectorId, status === 'failed' ? (streak.get(connectorId) ?? 0) + 1 : 0);
      }
      if (batch.length >= 5000) await flush();
    }
  }
  await flush();
  // The figures kept for the connectors as their runs finish.
  const updates: AnyBulkWriteOperation<ConnectorStatsDoc>[] = ids.flatMap((id) => {
    const run = last.get(id);
    if (!run) return [];
    const failures = streak.get(id) ?? 0;
    return [
      {
        updateOne: {
          filter: { _id: id },
          update: {
            $set: {
              totalRuns: perConnector,
              lastRunId: run._id,
              lastRun: (({ log: _log, ...rest }) => rest)(run),
              lastRunAt: run.finishedAt!,
              lastStartedAt: run.startedAt!,
              lastStatus: run.status,
              consecutiveFailures: failures,
              longestFailureStreak: Math.max(failures, 1),
              ...(run.status === 'succeeded' ? { lastSuccessAt: run.finishedAt! } : { lastError: run.error ?? null }),
            },
          },
        },
      },
    ];
  });
  say('  setting the connectors\' run figures');
  // One update at a time: a 500-statement bulk write stalled the embedded database (SQLite busy waits) in trials.
  for (const update of updates) if ('updateOne' in update) await collections.connectorStats(db).updateOne(update.updateOne.filter, update.updateOne.update, { upsert: true });
  // Written past the store, so tell the server's cached figures, as the store's own writes do.
  await noteFiguresChanged(db);
}

// ---------------------------------------------------------------------------------------------------------------
// Measurements

async function timeRequests(url: string, auth: Auth, path: string, count: number): Promise<{ summary: Summary; p95: number | null; bytes: number }> {
  const samples: number[] = [];
  let bytes = 0;
  await api(url, path, { auth }); // warm-up
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    const res = await fetch(`${url}${path}`, { headers: 'cookie' in auth! ? { cookie: auth.cookie } : { authorization: `Bearer ${auth!.token}` } });
    const body = await res.arrayBuffer();
    samples.push(performance.now() - t0);
    if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}`);
    bytes = body.byteLength;
  }
  return { summary: summarize(samples), p95: percentile([...samples].sort((a, b) => a - b), 95), bytes };
}

interface PageFigures {
  fcp: Summary;
  /** The scripts the page's HTML names: what the route needs before it is usable (the goal's figure). */
  jsGzipBytes: number;
  jsRawBytes: number;
  scripts: number;
  /** Scripts loaded later by the page itself (code split off to load after the first paint, e.g. the charts). */
  laterJsGzipBytes: number;
  laterScripts: number;
}

/** First contentful paint of the overview (one warm-up load, then `loads` measured), and the JS it loads, gzipped. */
async function measurePage(url: string, cookie: string, loads: number): Promise<PageFigures> {
  const browser = await launchBrowser();
  try {
    const { hostname } = new URL(url);
    await browser.context.addCookies(
      cookie.split('; ').map((pair) => {
        const eq = pair.indexOf('=');
        return { name: pair.slice(0, eq), value: pair.slice(eq + 1), domain: hostname, path: '/' };
      }),
    );
    const page = browser.page;
    const fcp: number[] = [];
    let scripts = new Map<string, Buffer>();
    for (let i = 0; i <= loads; i++) {
      const seen = new Map<string, Promise<Buffer | null>>();
      const onResponse = (response: PageResponse) => {
        if (response.request().resourceType() === 'script') seen.set(response.url(), response.body().catch(() => null));
      };
      page.on('response', onResponse);
      await page.goto(`${url}/?bench=${i}`, { waitUntil: 'load' });
      // The warm-up load also waits for what the page loads after it painted (split-off chunks), to list it.
      if (i === 0) await page.waitForTimeout(2000);
      const paint = await page.evaluate(
        () =>
          new Promise<number>((resolve) => {
            const entry = performance.getEntriesByName('first-contentful-paint')[0];
            if (entry) return resolve(entry.startTime);
            new PerformanceObserver((list) => resolve(list.getEntries()[0]!.startTime)).observe({ type: 'paint', buffered: true });
          }),
      );
      page.off('response', onResponse);
      if (i === 0) {
        const bodies = await Promise.all([...seen].map(async ([u, body]) => [u, await body] as const));
        scripts = new Map(bodies.filter((b): b is readonly [string, Buffer] => b[1] !== null));
        continue; // the warm-up load: fills caches, lists the scripts
      }
      fcp.push(paint);
    }
    // The route's own scripts are those its HTML names; the rest were loaded by the page afterwards.
    const html = await (await fetch(`${url}/`, { headers: { cookie } })).text();
    const named = new Set([...html.matchAll(/<script[^>]*\ssrc="([^"]+)"/g)].map((m) => new URL(m[1]!.replaceAll('&amp;', '&'), url).href));
    const initial = [...scripts].filter(([u]) => named.has(u)).map(([, body]) => body);
    const later = [...scripts].filter(([u]) => !named.has(u)).map(([, body]) => body);
    const gz = initial.reduce((sum, body) => sum + gzipSync(body).length, 0);
    const raw = initial.reduce((sum, body) => sum + body.length, 0);
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${url}/`, { waitUntil: 'load' });
    await browser.screenshot('bench-overview-500');
    return {
      fcp: summarize(fcp),
      jsGzipBytes: gz,
      jsRawBytes: raw,
      scripts: initial.length,
      laterJsGzipBytes: later.reduce((sum, body) => sum + gzipSync(body).length, 0),
      laterScripts: later.length,
    };
  } finally {
    await browser.close();
  }
}

async function heapUsed(url: string, auth: Auth): Promise<number> {
  const res = await api<{ memory: { heapUsed: number }; collected: boolean }>(url, '/api/metrics?gc=true', { auth });
  if (res.status !== 200) throw new Error(`GET /api/metrics answered ${res.status}`);
  if (!res.body.collected) throw new Error('the server did not collect garbage before measuring (is it running with --expose-gc?)');
  return res.body.memory.heapUsed;
}

interface PushFigures {
  sockets: number;
  heapPerSocketBytes: number;
  latency: Summary;
  /** Progress events received over all sockets, and the share of what was sent that arrived. */
  received: number;
  delivered: number;
  /** CPU used during the measurement, in cores (1 = one core busy all the time): server, its children, clients. */
  cpu: { server: number; children: number; clients: number };
}

/** CPU seconds used so far by the server, by its child processes (the embedded database), and by this process. */
function cpuNow(serverPid: number): { server: number; children: number; clients: number; at: number } {
  const children = descendantsOf(serverPid).reduce((sum, child) => sum + (cpuSeconds(child.pid) ?? 0), 0);
  const own = process.cpuUsage();
  return { server: cpuSeconds(serverPid) ?? 0, children, clients: (own.user + own.system) / 1e6, at: performance.now() };
}

// ---------------------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (buildIsStale()) say('warning: the production build is missing or older than some sources: run `NEXT_TELEMETRY_DISABLED=1 npx next build` first');
  say(`machine: ${os.cpus().length} CPUs, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} (1/5/15 min)`);
  const benchStarted = Date.now();

  say('starting the server (production build, --expose-gc)');
  const server = await startServer({ env: { HEARTBEAT_INTERVAL_MS: '5000', SCHEDULER_POLL_MS: '2000', LOG_LEVEL: 'warn', NODE_OPTIONS: '--expose-gc' } });
  started.server = server;
  say(`server ${server.url} (pid ${server.pid})`);
  const database = await connectDatabase(server);
  started.database = database;
  const adminToken = (await createToken(database.db, 'admin', 'bench-admin')).token;
  const admin: Auth = { token: adminToken };

  // 1. The overview at scale ------------------------------------------------------------------------------------
  say(`creating ${options.connectors} connectors through the API`);
  const ids = await createFleet(server.url, admin, options.connectors);
  say(`inserting ${options.runs} finished runs over the last 30 days`);
  const seeding = performance.now();
  await insertHistory(database.db, ids, options.runs);
  say(`  seeded in ${((performance.now() - seeding) / 1000).toFixed(1)} s`);
  const tokens = await Promise.all(Array.from({ length: 10 }, (_, i) => createToken(database.db, 'viewer', `bench-push-${i}`)));
  // The embedded database stalls when more connections than the server's own write at once (SQLite busy waits):
  // the benchmark's own connection closes before anything is measured.
  await database.close();
  started.database = undefined;

  say(`timing GET /api/overview and GET /api/overview/stats (${options.requests} sequential requests each)`);
  const overviewApi = await timeRequests(server.url, admin, '/api/overview', options.requests);
  // Informative, not a goal: a failure here (e.g. a timeout on a big history) is reported, not fatal.
  const statsApi = await timeRequests(server.url, admin, '/api/overview/stats?days=7&hours=24&sparkline=20', Math.min(options.requests, 20)).catch((error: unknown) => {
    say(`  GET /api/overview/stats failed: ${error instanceof Error ? `${error.message} ${String(error.cause ?? '')}` : String(error)}`);
    return null;
  });
  say(`  GET /api/overview p95 ${ms(overviewApi.p95)} ms; GET /api/overview/stats p95 ${statsApi ? `${ms(statsApi.p95)} ms` : 'failed'}`);
  say('loading the overview in headless Chromium');
  const cookie = await login(server.url, ADMIN.email, ADMIN.password);
  const page = await measurePage(server.url, cookie, 5);

  // 2. Push ----------------------------------------------------------------------------------------------------
  say(`starting ${options.running} demo runs that report progress`);
  const loadIds: string[] = [];
  for (let i = 1; i <= options.running; i++) {
    const id = `push-load-${i}`;
    const res = await api(server.url, '/api/connectors', {
      auth: admin,
      body: { id, name: `Push load ${i}`, kind: 'demo', config: { records: 100_000, pageSize: 10, pageDelayMs: 60, failureRate: 0, churn: 0 }, schedules: [] },
    });
    if (res.status !== 201) throw new Error(`creating ${id} answered ${res.status}`);
    loadIds.push(id);
  }

  const threads = Math.max(1, os.cpus().length);
  const dashboards = new Dashboards(threads, options.client);
  started.dashboards = dashboards;
  // What the server sets up once for connections (compiled code, grown tables) is not a per-socket cost: a first
  // batch connects and leaves before anything is measured.
  const warmUp = Math.min(200, options.sockets[0]!);
  say(`warming up: connecting and closing ${warmUp} sockets (dashboards spread over ${threads} threads)`);
  const tokenValues = tokens.map((t) => t.token);
  await dashboards.add(server.url, tokenValues, warmUp);
  await dashboards.closeAll();
  await sleep(2000);

  const pushFigures: PushFigures[] = [];
  let runsStarted = false;
  for (const target of options.sockets) {
    const adding = target - dashboards.count;
    const before = await heapUsed(server.url, admin);
    say(`connecting ${adding} sockets (to ${target}), subscribed to the overview`);
    await dashboards.add(server.url, tokenValues, adding);
    await sleep(2000);
    const after = await heapUsed(server.url, admin);
    const perSocket = (after - before) / adding;
    say(`  heap ${kb(before)} -> ${kb(after)}: ${kb(perSocket)} per socket`);

    if (!runsStarted) {
      for (const id of loadIds) {
        const res = await api(server.url, `/api/connectors/${id}/run`, { method: 'POST', auth: admin });
        if (res.status !== 202) throw new Error(`starting ${id} answered ${res.status}`);
      }
      runsStarted = true;
      await sleep(3000);
    }
    say(`  measuring emit -> receive for ${options.seconds} s at ${target} sockets`);
    const cpuBefore = cpuNow(server.pid);
    await dashboards.measure();
    await sleep(options.seconds * 1000);
    const seen = await dashboards.collect();
    const cpuAfter = cpuNow(server.pid);
    const seconds = (cpuAfter.at - cpuBefore.at) / 1000;
    const cpu = { server: (cpuAfter.server - cpuBefore.server) / seconds, children: (cpuAfter.children - cpuBefore.children) / seconds, clients: (cpuAfter.clients - cpuBefore.clients) / seconds };
    const received = seen.latencies.length;
    const distinct = seen.distinct.length;
    pushFigures.push({ sockets: target, heapPerSocketBytes: perSocket, latency: summarize(seen.latencies), received, delivered: distinct ? received / (distinct * target) : 0, cpu });
  }

  for (const id of loadIds) await api(server.url, `/api/connectors/${id}/cancel`, { method: 'POST', auth: admin });
  const rss = await api<{ memory: { rss: number } }>(server.url, '/api/metrics', { auth: admin });

  // Report -------------------------------------------------------------------------------------------------------
  const load = os.loadavg();
  const goals: Array<{ goal: string; target: string; value: string; met: boolean }> = [];
  for (const f of pushFigures) {
    const limit = f.sockets <= 500 ? GOALS.p99At500Ms : f.sockets <= 2000 ? GOALS.p99At2000Ms : null;
    if (limit !== null) goals.push({ goal: `push p99 at ${f.sockets} sockets`, target: `<= ${limit} ms`, value: `${ms(f.latency.p99)} ms`, met: f.latency.p99 !== null && f.latency.p99 <= limit });
    goals.push({ goal: `heap per socket (${f.sockets})`, target: `<= ${kb(GOALS.heapPerSocketBytes)}`, value: kb(f.heapPerSocketBytes), met: f.heapPerSocketBytes <= GOALS.heapPerSocketBytes });
  }
  goals.push({ goal: 'GET /api/overview p95', target: `<= ${GOALS.overviewP95Ms} ms`, value: `${ms(overviewApi.p95)} ms`, met: (overviewApi.p95 ?? Infinity) <= GOALS.overviewP95Ms });
  goals.push({ goal: 'overview first contentful paint (median)', target: `<= ${GOALS.firstPaintMs} ms`, value: `${ms(page.fcp.p50)} ms`, met: (page.fcp.p50 ?? Infinity) <= GOALS.firstPaintMs });
  goals.push({ goal: 'overview JavaScript (named by its HTML), gzipped', target: `<= ${kb(GOALS.jsGzipBytes)}`, value: kb(page.jsGzipBytes), met: page.jsGzipBytes <= GOALS.jsGzipBytes });

  const out = (line = '') => process.stdout.write(`${line}\n`);
  out();
  out(`bench:push — ${options.connectors} connectors, ${options.runs} runs in history, ${options.running} runs emitting progress, ${((Date.now() - benchStarted) / 1000).toFixed(0)} s`);
  out(
    `dashboards: ${options.client === 'lean' ? 'lean WebSocket clients speaking Socket.IO (tools/bench/lean-socket.ts)' : 'socket.io-client'} in ${os.cpus().length} worker threads of this process, ` +
      `subscribed to the overview (a run's progress reaches it at most once a second)`,
  );
  out(`machine: ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), load average now ${load.map((l) => l.toFixed(2)).join(' ')} (1/5/15 min); clients, server and database share it`);
  out();
  out(
    table(
      ['sockets', 'events recv', 'delivered', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'heap/socket', 'CPU server/db/clients'],
      pushFigures.map((f) => [
        f.sockets,
        f.received,
        `${(f.delivered * 100).toFixed(1)}%`,
        ms(f.latency.p50),
        ms(f.latency.p90),
        ms(f.latency.p99),
        ms(f.latency.max),
        kb(f.heapPerSocketBytes),
        [f.cpu.server, f.cpu.children, f.cpu.clients].map((c) => `${Math.round(c * 100)}%`).join(' / '),
      ]),
    ),
  );
  out();
  out(
    table(
      ['request', 'n', 'p50 ms', 'p95 ms', 'max ms', 'body'],
      [
        ['GET /api/overview', overviewApi.summary.n, ms(overviewApi.summary.p50), ms(overviewApi.p95), ms(overviewApi.summary.max), kb(overviewApi.bytes)],
        statsApi ? ['GET /api/overview/stats', statsApi.summary.n, ms(statsApi.summary.p50), ms(statsApi.p95), ms(statsApi.summary.max), kb(statsApi.bytes)] : ['GET /api/overview/stats', 'failed', '-', '-', '-', '-'],
      ],
    ),
  );
  out();
  out(
    `overview page: first contentful paint p50 ${ms(page.fcp.p50)} ms, max ${ms(page.fcp.max)} ms over ${page.fcp.n} loads; ` +
      `${page.scripts} scripts named by its HTML, ${kb(page.jsRawBytes)} raw, ${kb(page.jsGzipBytes)} gzipped; ` +
      `then ${page.laterScripts} more loaded after the first paint, ${kb(page.laterJsGzipBytes)} gzipped`,
  );
  out(`server RSS at the end: ${kb(rss.body.memory.rss)}`);
  out();
  out(table(['goal', 'target', 'value', 'met'], goals.map((g) => [g.goal, g.target, g.value, g.met ? 'yes' : 'NO']), true));
  out();
  out(JSON.stringify({ bench: 'push', options, load, push: pushFigures, overviewApi, statsApi, page, goals }));
}

main()
  .then(cleanup)
  .catch(async (error: unknown) => {
    say(`could not run: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    if (started.server) say(`last server output:\n${started.server.logs().split('\n').slice(-30).join('\n')}`);
    await cleanup().catch(() => undefined);
    process.exitCode = 1;
  });
