/**
 * `npm run bench:schedule`: how punctually Syncdeck starts scheduled syncs, and how fast "run now" starts one.
 *
 * Starts N real server instances on one database (the first one starts the embedded FerretDB unless
 * --mongodb-uri is given; the others join it with MONGODB_URI), creates connectors on 1-minute slots with a
 * no-op demo sync through the REST API, lets them run for a few minutes, and measures from the `runs` collection
 * and from `sync:*` events received over Socket.IO:
 *   - start lateness (run startedAt minus its slot): p50 / p99 / p99.9 / max;
 *   - drift (slots off the 60 s grid, gaps between consecutive runs of a connector other than 60 s);
 *   - duplicates (run records per slot, and `sync:start` events per run id beyond one on any socket);
 *   - missed slots (expected minus slots with a succeeded or running run), skips and failures with reasons;
 *   - run-now latency: POST /api/connectors/{id}/run sent -> `sync:start` received (client clock).
 * It is a benchmark, not a test: it prints figures and whether each goal is met, and exits 0 either way;
 * only a failure of the benchmark itself exits non-zero. Everything it starts is stopped by PID at the end,
 * on error, and on Ctrl-C.
 *
 *   node --import tsx tools/bench/schedule.ts [--connectors 200] [--minutes 4] [--instances 2] [--run-now 200]
 *                                            [--run-now-concurrency 1] [--poll-ms <product default>] [--quick]
 *                                            [--trace-jobs] [--mongodb-uri mongodb://…]
 */
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { MongoClient, type Db } from 'mongodb';
import { envSchema } from '../../lib/env';
import { slotRunId, type RunDoc } from '../../lib/runs/store';
import type { SyncFinishEvent, SyncStartEvent } from '../../lib/realtime/events';
import { api, type Auth } from '../../tests/support/api';
import { connectDatabase, createToken, type TestDatabase } from '../../tests/support/database';
import { descendantsOf } from '../../tests/support/processes';
import { connect, openSocket, subscribe, type ClientSocket } from '../../tests/support/realtime';
import { ROOT, startServer, type TestServer } from '../../tests/support/server';
import { buildIsStale, nextBuild } from '../start';
import { killTree, stopAfter, stopOnInterrupt, UsageError, wholeNumberOption } from './options';
import { mapLimit, ms, summarize, table, type Summary } from './stats';
import { collections } from '../../lib/store/collections';
import { SLOT_JOB } from '../../lib/scheduling/jobs';

// ---------------------------------------------------------------------------------------------------------------
// Options

const USAGE = `Usage: npm run bench:schedule -- [options]

  --connectors <n>           connectors on 1-minute slots (default 200; --quick: 50)
  --minutes <n>              measured minutes after one minute of warm-up (default 4; --quick: 2)
  --instances <n>            server instances sharing one database (default 2)
  --run-now <n>              run-now iterations after the scheduled window (default 200; --quick: 50; 0 skips)
  --run-now-concurrency <n>  run-now requests in flight at once, 1..20 (default 1)
  --poll-ms <ms>             SCHEDULER_POLL_MS of the servers (default: the product default, ${envSchema.shape.SCHEDULER_POLL_MS.parse(undefined)})
  --mongodb-uri <uri>        use this MongoDB instead of the embedded FerretDB (a fresh database is created and dropped)
  --trace-jobs               also poll Agenda's job documents during the window (when each slot job was locked and
                             fired, by which instance): shows where lateness goes, but adds database load
  --quick                    smoke run: 50 connectors, 2 minutes, 50 run-now iterations
  --help`;

interface Options {
  connectors: number;
  minutes: number;
  instances: number;
  runNow: number;
  runNowConcurrency: number;
  pollMs: number;
  mongodbUri?: string;
  traceJobs: boolean;
  quick: boolean;
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      connectors: { type: 'string' },
      minutes: { type: 'string' },
      instances: { type: 'string' },
      'run-now': { type: 'string' },
      'run-now-concurrency': { type: 'string' },
      'poll-ms': { type: 'string' },
      'mongodb-uri': { type: 'string' },
      quick: { type: 'boolean', default: false },
      'trace-jobs': { type: 'boolean', default: false },
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
  const uri = values['mongodb-uri'];
  if (uri !== undefined && !/^mongodb(\+srv)?:\/\/.+/.test(uri)) throw new UsageError('--mongodb-uri: must be a mongodb:// or mongodb+srv:// connection string');
  return {
    quick,
    connectors: int('connectors', values.connectors, quick ? 50 : 200, 1, 5000),
    minutes: int('minutes', values.minutes, quick ? 2 : 4, 1, 120),
    instances: int('instances', values.instances, 2, 1, 8),
    runNow: int('run-now', values['run-now'], quick ? 50 : 200, 0, 100_000),
    runNowConcurrency: int('run-now-concurrency', values['run-now-concurrency'], 1, 1, RUN_NOW_CONNECTORS),
    pollMs: int('poll-ms', values['poll-ms'], envSchema.shape.SCHEDULER_POLL_MS.parse(undefined), 100, 60_000),
    mongodbUri: uri,
    traceJobs: values['trace-jobs']!,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Constants

const MINUTE = 60_000;
const RUN_NOW_CONNECTORS = 20;
const GOALS = { latenessP99Ms: 100, latenessP999Ms: 250, driftMs: 0, duplicates: 0, missed: 0, runNowP99Ms: 250 } as const;
/** How long after the last measured slot the benchmark waits for its runs to finish (before the next slot). */
const SETTLE_MS = 50_000;
/** Connectors created in parallel through the API. */
const CREATE_CONCURRENCY = 4;
const CREATE_TIMEOUT_MS = 60_000;
const RUN_NOW_START_TIMEOUT_MS = 30_000;
const RUN_NOW_FINISH_TIMEOUT_MS = 60_000;
/** The run-now phase gives up after this many failed iterations (the product is not answering). */
const RUN_NOW_MAX_ERRORS = 20;
const RUN_NOW_PHASE_LIMIT_MS = 10 * MINUTE;

const say = (message: string) => process.stderr.write(`[bench] ${new Date().toISOString().slice(11, 23)} ${message}\n`);
const sleep = (msDelay: number) => new Promise((resolve) => setTimeout(resolve, msDelay));
const iso = (t: number) => new Date(t).toISOString();

// ---------------------------------------------------------------------------------------------------------------
// What the benchmark started, so it can always stop it

const started: { servers: TestServer[]; sockets: ClientSocket[]; db?: { close(): Promise<void> }; dropDb?: () => Promise<void> } = { servers: [], sockets: [] };
let cleaning: Promise<void> | undefined;

/** Stops everything this process started: sockets, database client, then instances 2..N, then instance 1 (it hosts the database). */
function cleanup(): Promise<void> {
  return (cleaning ??= (async () => {
    for (const socket of started.sockets) socket.disconnect();
    if (started.dropDb) await started.dropDb().catch((err) => say(`could not drop the benchmark database: ${(err as Error).message}`));
    await started.db?.close().catch(() => undefined);
    const [first, ...others] = started.servers;
    const results = await Promise.allSettled(others.map((s) => s.dispose()));
    if (first) results.push(...(await Promise.allSettled([first.dispose()])));
    for (const result of results) {
      if (result.status === 'rejected') say(`stopping a server failed: ${(result.reason as Error).message}`);
      else if (result.value.orphans.length) say(`killed ${result.value.orphans.length} leftover process(es): ${result.value.orphans.map((p) => `${p.name}(${p.pid})`).join(', ')}`);
    }
  })());
}

/** Last resort (second Ctrl-C, time limit): SIGKILL every server and what it started, by PID. */
function killEverything(): void {
  for (const server of started.servers) killTree(server.pid);
}

stopOnInterrupt({ say, what: 'the servers', stop: cleanup, kill: killEverything });

// ---------------------------------------------------------------------------------------------------------------
// Events received over Socket.IO: one socket per instance. Each instance pushes the runs it executes and, through
// the relay, those of the others, so every socket should see every run start exactly once.

interface StartSeen {
  count: number;
  /** sync:start events for the run per socket (by instance number). */
  perSocket: Map<number, number>;
  /** Client clock (Date.now()) of the first `sync:start` for the run. */
  firstAt: number;
  /** performance.now() of the first `sync:start`, for the run-now latency. */
  firstPerf: number;
  instances: Set<number>;
  trigger: string;
  startedAt: string;
  /** Every `sync:start` received for the run: which instance sent it, when, and the startedAt it carried. */
  all: Array<{ instance: number; at: number; startedAt: string }>;
}

class EventLog {
  readonly starts = new Map<string, StartSeen>();
  readonly finishes = new Map<string, { status: string; count: number }>();
  readonly disconnects: string[] = [];
  #waiters = new Map<string, Array<() => void>>();

  attach(socket: ClientSocket, instance: number): void {
    socket.on('sync:start', (event: SyncStartEvent) => {
      const now = Date.now();
      const perf = performance.now();
      const seen = this.starts.get(event.runId);
      const one = { instance, at: now, startedAt: event.startedAt };
      if (seen) {
        seen.count++;
        seen.perSocket.set(instance, (seen.perSocket.get(instance) ?? 0) + 1);
        seen.instances.add(instance);
        seen.all.push(one);
      } else {
        const perSocket = new Map([[instance, 1]]);
        this.starts.set(event.runId, { count: 1, perSocket, firstAt: now, firstPerf: perf, instances: new Set([instance]), trigger: event.trigger, startedAt: event.startedAt, all: [one] });
      }
      this.#wake(`start:${event.runId}`);
    });
    socket.on('sync:finish', (event: SyncFinishEvent) => {
      const seen = this.finishes.get(event.runId);
      if (seen) seen.count++;
      else this.finishes.set(event.runId, { status: event.status, count: 1 });
      this.#wake(`finish:${event.runId}`);
    });
    socket.on('disconnect', (reason) => {
      if (reason !== 'io client disconnect') this.disconnects.push(`instance ${instance}: ${reason} at ${new Date().toISOString()}`);
    });
  }

  #wake(key: string) {
    const list = this.#waiters.get(key);
    if (!list) return;
    this.#waiters.delete(key);
    for (const wake of list) wake();
  }

  /** Resolves when `has()` is true (checked now and on each matching event), or rejects after `timeoutMs`. */
  #until(key: string, has: () => boolean, timeoutMs: number, what: string): Promise<void> {
    if (has()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const list = this.#waiters.get(key)?.filter((w) => w !== wake);
        if (list?.length) this.#waiters.set(key, list);
        else this.#waiters.delete(key);
        reject(new Error(`no ${what} within ${timeoutMs} ms`));
      }, timeoutMs);
      const wake = () => {
        clearTimeout(timer);
        resolve();
      };
      this.#waiters.set(key, [...(this.#waiters.get(key) ?? []), wake]);
    });
  }

  waitStart(runId: string, timeoutMs: number) {
    return this.#until(`start:${runId}`, () => this.starts.has(runId), timeoutMs, `sync:start for ${runId}`);
  }

  waitFinish(runId: string, timeoutMs: number) {
    return this.#until(`finish:${runId}`, () => this.finishes.has(runId), timeoutMs, `sync:finish for ${runId}`);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Helpers

/** Resident memory (VmRSS, MiB) of a process, or null when it is gone. */
function rssMiB(pid: number): number | null {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Math.round(Number(match[1]) / 102.4) / 10 : null;
  } catch {
    return null;
  }
}

/** The pid inside an instance id (`<host>-<pid>-<8 hex>`). */
const pidOfInstance = (instanceId: string | undefined) => Number(/-(\d+)-[0-9a-f]{8}$/.exec(instanceId ?? '')?.[1] ?? NaN);

/** The database the first instance reported on its ready line (ferretdb, mongod or uri). */
function databaseSource(server: TestServer): string {
  for (const line of server.logs().split('\n')) {
    if (!line.startsWith('{"syncdeck"')) continue;
    try {
      return (JSON.parse(line) as { database?: string }).database ?? 'unknown';
    } catch {
      // Not the ready line.
    }
  }
  return 'unknown';
}

/** Warnings and errors a server logged (pino JSON lines, level >= 40), grouped by message (the last 400 lines only). */
function loggedProblems(server: TestServer): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of server.logs().split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const entry = JSON.parse(line) as { level?: number; msg?: string; err?: { message?: string }; job?: string };
      if ((entry.level ?? 0) < 40) continue;
      // FerretDB prefixes its errors with Go call sites ("[file.go:12 pkg.func] "); they only get in the way here.
      const why = entry.err?.message?.replace(/\[[^\]]*\.go:\d+[^\]]*\]\s*/g, '').slice(0, 160);
      const key = `${entry.level! >= 50 ? 'error' : 'warn'}: ${entry.msg ?? '?'}${entry.job ? ` [${entry.job}]` : ''}${why ? ` (${why})` : ''}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    } catch {
      // Not a log entry.
    }
  }
  return counts;
}

/** CPU time (clock ticks) of the whole machine, and of the given processes, from /proc. */
function cpuTicks(pids: number[]): { total: number; idle: number; ours: number } {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = fields.slice(0, 8).reduce((sum, v) => sum + v, 0);
  const idle = fields[3]! + fields[4]!;
  let ours = 0;
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ours += Number(rest[11]) + Number(rest[12]); // utime, stime (fields 14 and 15)
    } catch {
      // Gone.
    }
  }
  return { total, idle, ours };
}

/** Every process of the benchmark: this one, the servers, and what they started. */
const benchPids = () => [process.pid, ...started.servers.flatMap((s) => [s.pid, ...descendantsOf(s.pid).map((c) => c.pid)])];

/** Share (0..100, of all CPUs) of the machine that was busy between two samples, and the benchmark's part of it. */
function cpuShare(a: ReturnType<typeof cpuTicks>, b: ReturnType<typeof cpuTicks>) {
  const total = b.total - a.total || 1;
  const busy = Math.round((100 * (total - (b.idle - a.idle))) / total);
  const ours = Math.min(busy, Math.round((100 * (b.ours - a.ours)) / total));
  return { busyPct: busy, benchPct: ours, othersPct: busy - ours };
}

function groupCount<T>(items: readonly T[], key: (item: T) => string): Array<[string, number]> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1]);
}

/** Replaces run-specific parts of a reason (ids, times, numbers) so equal reasons group together. */
const reasonKey = (reason: string | undefined) =>
  (reason ?? '(no reason)')
    .replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, '<time>')
    .replace(/bench-[a-z]-\d+[^\s)]*/g, '<run>')
    .replace(/\d+/g, 'N');

// ---------------------------------------------------------------------------------------------------------------
// --trace-jobs: Agenda's slot job documents, polled while they exist (they are removed once their handler ends)

interface JobTrace {
  lockedAt: Set<number>;
  lastRunAt: Set<number>;
  lockers: Set<string>;
}

class JobTracer {
  readonly jobs = new Map<string, JobTrace>();
  polls = 0;
  running = false;
  pollMs: number[] = [];
  #stop = false;
  #done?: Promise<void>;

  constructor(
    private readonly db: Db,
    private readonly slots: string[],
  ) {}

  start(until: number): void {
    this.running = true;
    this.#done = (async () => {
      while (!this.#stop && Date.now() < until) {
        const t0 = performance.now();
        const docs = await collections
          .agendaJobs<{ data: { connectorId: string; slot: string }; lockedAt?: Date | null; lastRunAt?: Date; lastModifiedBy?: string }>(this.db)
          .find({ name: SLOT_JOB, 'data.slot': { $in: this.slots } }, { projection: { data: 1, lockedAt: 1, lastRunAt: 1, lastModifiedBy: 1 } })
          .toArray()
          .catch(() => []);
        this.pollMs.push(performance.now() - t0);
        this.polls++;
        for (const doc of docs) {
          const key = `${doc.data.connectorId}@${Date.parse(doc.data.slot)}`;
          const trace = this.jobs.get(key) ?? { lockedAt: new Set(), lastRunAt: new Set(), lockers: new Set() };
          if (doc.lockedAt) trace.lockedAt.add(doc.lockedAt.getTime());
          if (doc.lastRunAt) trace.lastRunAt.add(doc.lastRunAt.getTime());
          if (doc.lockedAt && doc.lastModifiedBy) trace.lockers.add(doc.lastModifiedBy);
          this.jobs.set(key, trace);
        }
        await sleep(500);
      }
    })();
  }

  async stop(): Promise<void> {
    this.#stop = true;
    await this.#done;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Set-up: build check, instances, database access, sockets, connectors

async function ensureBuild(): Promise<void> {
  const buildId = path.join(ROOT, '.next', 'BUILD_ID');
  if (!existsSync(buildId)) {
    say('there is no production build of the web app (.next/BUILD_ID); building it now (npx next build)');
    try {
      await nextBuild();
    } catch (error) {
      // Most often another `next build` is running in this checkout (it removes BUILD_ID until it is done): wait for it.
      say(`${(error as Error).message}; waiting up to 5 min for a build running elsewhere to finish`);
      const deadline = Date.now() + 5 * MINUTE;
      while (!existsSync(buildId)) {
        if (Date.now() > deadline) throw new Error('there is no production build of the web app: run `npx next build`, then the benchmark again');
        await sleep(2000);
      }
    }
  } else if (buildIsStale()) {
    say('warning: the production build is older than some sources; the API routes run the built code (run `npx next build` to refresh)');
  }
}

async function openBenchDatabase(server: TestServer, options: Options, dbName: string): Promise<{ db: Db; close(): Promise<void> }> {
  if (!options.mongodbUri) {
    const database: TestDatabase = await connectDatabase(server);
    return { db: database.db, close: () => database.close() };
  }
  const client = new MongoClient(options.mongodbUri, { serverSelectionTimeoutMS: 10_000, appName: 'syncdeck-bench' });
  await client.connect();
  const db = client.db(dbName);
  started.dropDb = () => db.dropDatabase().then(() => undefined);
  return { db, close: () => client.close() };
}

/** Rejects after `ms` (the operation itself is left to finish or fail on its own). */
function withTimeout<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: no answer within ${timeoutMs} ms`)), timeoutMs))),
  ]);
}

/** An error's message with the cause fetch hides (`fetch failed` → `fetch failed (UND_ERR_SOCKET: other side closed)`). */
function describeError(error: unknown): string {
  const e = error as Error & { cause?: { code?: string; message?: string } };
  return e.cause ? `${e.message} (${[e.cause.code, e.cause.message].filter(Boolean).join(': ')})` : e.message;
}

interface Setup {
  options: Options;
  servers: TestServer[];
  instanceOfPid: Map<number, number>;
  db: Db;
  auth: Auth;
  events: EventLog;
  dbLabel: string;
  scheduledIds: string[];
  runNowIds: string[];
  createSeconds: number;
  createMs: Summary;
  createErrors: Array<[string, number]>;
  createdAt: number;
}

async function setUp(options: Options): Promise<Setup> {
  await ensureBuild();

  const dbName = options.mongodbUri ? `syncdeck_bench_${Date.now().toString(36)}` : 'syncdeck';
  const baseEnv: Record<string, string> = {
    SCHEDULER_POLL_MS: String(options.pollMs),
    // Product defaults rather than the test harness's faster beats: the benchmark measures the product as shipped.
    HEARTBEAT_INTERVAL_MS: String(envSchema.shape.HEARTBEAT_INTERVAL_MS.parse(undefined)),
    LOG_LEVEL: 'warn',
    ...(options.mongodbUri ? { MONGODB_URI: options.mongodbUri, MONGODB_DB: dbName } : {}),
  };
  say(`starting instance 1 of ${options.instances}${options.mongodbUri ? '' : ' (with the embedded database)'}`);
  const first = await startServer({ env: baseEnv });
  started.servers.push(first);
  const mongoUri = options.mongodbUri ?? first.mongoUri;
  if (!mongoUri) throw new Error(`cannot find the database URI of instance 1 (data dir ${first.dataDir})`);
  for (let i = 2; i <= options.instances; i++) {
    say(`starting instance ${i} on the same database (${options.mongodbUri ? 'MONGODB_URI' : mongoUri})`);
    started.servers.push(await startServer({ env: { ...baseEnv, MONGODB_URI: mongoUri, MONGODB_DB: dbName } }));
  }
  const servers = started.servers;

  const database = await openBenchDatabase(first, options, dbName);
  started.db = database;
  const { db } = database;
  // An API token works on every instance (a session cookie is signed with each instance's own secret).
  const { token } = await createToken(db, 'admin', 'bench-schedule');
  const auth: Auth = { token };

  // One socket per instance: an instance broadcasts the events of the runs it executes, and only those.
  const events = new EventLog();
  for (const [i, server] of servers.entries()) {
    const socket = openSocket(server.url, { token });
    started.sockets.push(socket);
    events.attach(socket, i + 1);
    await connect(socket);
    await subscribe(socket, ['overview']);
  }

  const pad = (n: number, width: number) => String(n).padStart(width, '0');
  const scheduledIds = Array.from({ length: options.connectors }, (_, i) => `bench-s-${pad(i + 1, 4)}`);
  const runNowIds = options.runNow ? Array.from({ length: RUN_NOW_CONNECTORS }, (_, i) => `bench-r-${pad(i + 1, 2)}`) : [];
  const demoConfig = { records: 1, pageSize: 1, pageDelayMs: 0, failureRate: 0 };
  const createStarted = Date.now();
  say(`creating ${scheduledIds.length} scheduled + ${runNowIds.length} run-now connectors through the API`);
  const createErrors: string[] = [];
  let created = 0;
  const createMs = await mapLimit([...scheduledIds, ...runNowIds], CREATE_CONCURRENCY, async (id, index) => {
    const scheduled = id.startsWith('bench-s-');
    const t0 = performance.now();
    // A server error or a lost answer is the product's, not the benchmark's: it is counted and the request retried.
    // 409 after such a failure means the first attempt did create the connector.
    for (let attempt = 1; ; attempt++) {
      let outcome: string;
      try {
        const res = await withTimeout(
          api(servers[(index + attempt - 1) % servers.length]!.url, '/api/connectors', {
            method: 'POST',
            auth,
            body: {
              id,
              name: `Bench ${id}`,
              kind: 'demo',
              config: demoConfig,
              schedules: scheduled ? [{ id: 'm', type: 'interval', everySeconds: 60 }] : [],
              policies: { minGapSeconds: 0 },
            },
          }),
          CREATE_TIMEOUT_MS,
          'POST /api/connectors',
        );
        if (res.status === 201 || (res.status === 409 && attempt > 1)) break;
        if (res.status < 500) throw new Error(`POST /api/connectors (${id}) answered ${res.status}: ${JSON.stringify(res.body).slice(0, 300)}`);
        outcome = `answered ${res.status}`;
      } catch (error) {
        if ((error as Error).message.startsWith('POST /api/connectors (')) throw error;
        outcome = describeError(error);
      }
      createErrors.push(`POST /api/connectors ${outcome}`);
      if (attempt === 3) throw new Error(`POST /api/connectors (${id}) failed 3 times; last: ${outcome}`);
      await sleep(1000);
    }
    if (++created % 50 === 0) say(`${created} connectors created`);
    return performance.now() - t0;
  });
  const createdAt = Date.now();
  return {
    options,
    servers,
    instanceOfPid: new Map(servers.map((s, i) => [s.pid, i + 1])),
    db,
    auth,
    events,
    dbLabel: options.mongodbUri ? 'uri' : databaseSource(first),
    scheduledIds,
    runNowIds,
    createSeconds: (createdAt - createStarted) / 1000,
    createMs: summarize(createMs),
    createErrors: groupCount(createErrors, (e) => e),
    createdAt,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The scheduled window

async function measureWindow(s: Setup) {
  const { options, db, events, scheduledIds } = s;
  // Slots strictly after creation + one minute of warm-up.
  const windowStart = (Math.floor((s.createdAt + MINUTE) / MINUTE) + 1) * MINUTE;
  const lastSlot = windowStart + (options.minutes - 1) * MINUTE;
  const expected = options.connectors * options.minutes;
  const windowSlots = Array.from({ length: options.minutes }, (_, m) => windowStart + m * MINUTE);
  const expectedIds = new Set(scheduledIds.flatMap((id) => windowSlots.map((slot) => slotRunId(id, 'm', new Date(slot)))));
  say(
    `connectors created in ${s.createSeconds.toFixed(1)} s; measuring the slots ${iso(windowStart)} to ${iso(lastSlot)} ` +
      `(${options.minutes} min, ${expected} slots); warm-up until then`,
  );

  const tracer = options.traceJobs ? new JobTracer(db, windowSlots.map(iso)) : undefined;
  let cpuAtStart: ReturnType<typeof cpuTicks> | undefined;
  let loadAtStart: number[] = [];
  let reported = -1;
  const startsOf = (slot: number) => scheduledIds.filter((id) => events.starts.has(slotRunId(id, 'm', new Date(slot)))).length;
  while (Date.now() < lastSlot + 2000) {
    if (tracer && !tracer.running && Date.now() >= windowStart - 5000) tracer.start(lastSlot + SETTLE_MS);
    if (!cpuAtStart && Date.now() >= windowStart - 1000) {
      cpuAtStart = cpuTicks(benchPids());
      loadAtStart = os.loadavg();
    }
    const minute = Math.floor((Date.now() - windowStart) / MINUTE);
    if (minute >= 0 && minute !== reported) {
      reported = minute;
      const previous = minute > 0 ? `; slot ${iso(windowStart + (minute - 1) * MINUTE).slice(11, 19)}: ${startsOf(windowStart + (minute - 1) * MINUTE)} of ${options.connectors} started` : '';
      say(`window minute ${minute + 1} of ${options.minutes}${previous}`);
    }
    await sleep(Math.min(1000, Math.max(50, lastSlot + 2000 - Date.now())));
  }
  // Settle: wait (without loading the database) until every slot of the window has a sync:finish, or the deadline.
  const settleUntil = lastSlot + SETTLE_MS;
  while (Date.now() < settleUntil && [...expectedIds].some((id) => !events.finishes.has(id))) await sleep(500);
  const cpu = cpuShare(cpuAtStart ?? cpuTicks(benchPids()), cpuTicks(benchPids()));
  const loadAtEnd = os.loadavg();
  await tracer?.stop();
  say(`slot ${iso(lastSlot).slice(11, 19)}: ${startsOf(lastSlot)} of ${options.connectors} started; reading the runs`);

  // Every scheduled connector must still have a slot job for the last slot or a later one (a failed slot job plans
  // no next slot). By slot, not by nextRunAt: a one-time job being run has none, and the last slot's jobs fire a
  // moment after it and may still be going.
  const pending = await collections
    .agendaJobs<{ data: { connectorId: string; slot: string } }>(db)
    .find({ name: SLOT_JOB }, { projection: { data: 1 } })
    .toArray();
  const planned = new Set(pending.filter((j) => Date.parse(j.data.slot) >= lastSlot).map((j) => j.data.connectorId));
  const unplanned = scheduledIds.filter((id) => !planned.has(id));

  // --- From the runs collection ---
  const scheduledSet = new Set(scheduledIds);
  const inWindow = { connectorId: { $in: scheduledIds }, slot: { $gte: new Date(windowStart), $lte: new Date(lastSlot) } };
  const runsOf = (await collections.runs(db).find(inWindow, { projection: { log: 0 } }).toArray()).filter((r) => scheduledSet.has(r.connectorId));
  const startedRuns = runsOf.filter((r) => r.startedAt && r.slot);
  const lateOf = (r: RunDoc) => r.startedAt!.getTime() - r.slot!.getTime();
  const lateness = summarize(startedRuns.map(lateOf));
  const parts = {
    slotToQueued: summarize(startedRuns.map((r) => r.queuedAt.getTime() - r.slot!.getTime())),
    queuedToStarted: summarize(startedRuns.map((r) => r.startedAt!.getTime() - r.queuedAt.getTime())),
    startedToEvent: summarize(startedRuns.flatMap((r) => (events.starts.has(r._id) ? [events.starts.get(r._id)!.firstAt - r.startedAt!.getTime()] : []))),
  };

  // Drift: every slot on the 60 s grid, consecutive slots of a connector exactly 60 s apart.
  const offGrid = runsOf.filter((r) => r.slot && r.slot.getTime() % MINUTE !== 0).length;
  const gridDeviationMax = Math.max(0, ...runsOf.map((r) => (r.slot ? Math.min(r.slot.getTime() % MINUTE, MINUTE - (r.slot.getTime() % MINUTE)) : 0)));
  let gapDeviationMax = 0;
  let unevenGaps = 0;
  const slotsByConnector = new Map<string, Set<number>>();
  for (const r of runsOf) if (r.slot) slotsByConnector.set(r.connectorId, (slotsByConnector.get(r.connectorId) ?? new Set()).add(r.slot.getTime()));
  for (const set of slotsByConnector.values()) {
    const slots = [...set].sort((a, b) => a - b);
    for (let i = 1; i < slots.length; i++) {
      const deviation = Math.abs(slots[i]! - slots[i - 1]! - MINUTE);
      if (deviation) unevenGaps++;
      gapDeviationMax = Math.max(gapDeviationMax, deviation);
    }
  }
  const drift = { maxDeviationMs: Math.max(gapDeviationMax, gridDeviationMax), gridDeviationMax, gapDeviationMax, offGrid, unevenGaps };

  // Duplicates: run records per (connector, slot); sync:start events per run id beyond one on any socket.
  const records = groupCount(runsOf, (r) => `${r.connectorId}@${r.slot?.toISOString()}`).reduce((sum, [, n]) => sum + n - 1, 0);
  const executed = runsOf.filter((r) => r.startedAt);
  const extraOnSockets = (runId: string) => [...(events.starts.get(runId)?.perSocket.values() ?? [])].reduce((sum, n) => sum + n - 1, 0);
  const syncStartEvents = executed.reduce((sum, r) => sum + extraOnSockets(r._id), 0);
  // What a doubled sync:start looked like: the same execution delivered twice (same startedAt) or two executions.
  const doubled = executed.filter((r) => extraOnSockets(r._id) > 0);
  const samples = doubled.slice(0, 3).map((r) => ({
    runId: r._id,
    status: r.status,
    trigger: r.trigger,
    recordStartedAt: r.startedAt?.toISOString(),
    recordInstance: s.instanceOfPid.get(pidOfInstance(r.instanceId)) ?? r.instanceId,
    events: events.starts.get(r._id)!.all.map((e) => ({ instance: e.instance, startedAt: e.startedAt, receivedAt: iso(e.at) })),
  }));
  const duplicates = {
    total: records + syncStartEvents,
    records,
    syncStartEvents,
    runsStartedMoreThanOnce: doubled.length,
    startedOnTwoInstances: doubled.filter((r) => new Set(events.starts.get(r._id)!.all.map((e) => e.startedAt)).size > 1).length,
    startsNotSeen: executed.filter((r) => !events.starts.has(r._id)).length,
    /** Runs some instance's socket never saw start: a gap in the relay between instances. */
    startsMissedBySomeSocket: executed.filter((r) => (events.starts.get(r._id)?.perSocket.size ?? 0) < s.servers.length).length,
    samples,
  };

  // Missed: expected slots without a succeeded or running run.
  const ok = new Set(runsOf.filter((r) => r.status === 'succeeded' || r.status === 'running').map((r) => `${r.connectorId}@${r.slot!.getTime()}`));
  const missed = expected - ok.size;
  const noRecord = expected - new Set(runsOf.map((r) => `${r.connectorId}@${r.slot!.getTime()}`)).size;

  const perSlot = windowSlots.map((slot) => {
    const these = startedRuns.filter((r) => r.slot!.getTime() === slot);
    return { slot: iso(slot), lateness: summarize(these.map(lateOf)) };
  });
  const perInstance = s.servers.map((_, i) => {
    const these = startedRuns.filter((r) => s.instanceOfPid.get(pidOfInstance(r.instanceId)) === i + 1);
    return { instance: i + 1, lateness: summarize(these.map(lateOf)) };
  });

  // Agenda's side, from the traced job documents.
  const trace = tracer
    ? (() => {
        const runByKey = new Map(runsOf.filter((r) => r.slot).map((r) => [`${r.connectorId}@${r.slot!.getTime()}`, r]));
        const toLock: number[] = [];
        const toFire: number[] = [];
        const fireToQueued: number[] = [];
        let lockedByMore = 0;
        let relocked = 0;
        let firedTwice = 0;
        for (const [key, job] of tracer.jobs) {
          const slot = Number(key.slice(key.lastIndexOf('@') + 1));
          if (job.lockedAt.size) toLock.push(Math.min(...job.lockedAt) - slot);
          if (job.lockers.size > 1) lockedByMore++;
          if (job.lockedAt.size > 1) relocked++;
          if (job.lastRunAt.size > 1) firedTwice++;
          if (!job.lastRunAt.size) continue;
          const fired = Math.min(...job.lastRunAt);
          toFire.push(fired - slot);
          const run = runByKey.get(key);
          if (run) fireToQueued.push(run.queuedAt.getTime() - fired);
        }
        return {
          jobsSeen: tracer.jobs.size,
          polls: tracer.polls,
          poll: summarize(tracer.pollMs),
          slotToLocked: summarize(toLock),
          slotToFired: summarize(toFire),
          firedToQueued: summarize(fireToQueued),
          lockedByMoreThanOneInstance: lockedByMore,
          lockedMoreThanOnce: relocked,
          firedMoreThanOnce: firedTwice,
        };
      })()
    : null;

  const notSucceeded = groupCount(
    runsOf.filter((r) => r.status !== 'succeeded'),
    (r) => `${r.status}: ${reasonKey(r.reason ?? r.error?.message)}`,
  );
  return {
    from: iso(windowStart),
    to: iso(lastSlot),
    expected,
    records: runsOf.length,
    cpu,
    load: { start: loadAtStart.map((l) => Math.round(l * 100) / 100), end: loadAtEnd.map((l) => Math.round(l * 100) / 100) },
    lateness,
    parts,
    perSlot,
    perInstance,
    drift,
    duplicates,
    missed,
    noRecord,
    statuses: groupCount(runsOf, (r) => r.status),
    triggers: groupCount(runsOf, (r) => r.trigger),
    notSucceeded,
    unplanned,
    trace,
  };
}
type WindowResult = Awaited<ReturnType<typeof measureWindow>>;

const summaryRow = (s: Summary, label: string) => [label, s.n, ms(s.p50), ms(s.p90), ms(s.p99), ms(s.p999), ms(s.max), ms(s.min)];
const SUMMARY_HEADER = ['n', 'p50', 'p90', 'p99', 'p99.9', 'max', 'min'];

function reportWindow(s: Setup, w: WindowResult): string[] {
  const { options } = s;
  const cpus = os.cpus();
  const out: string[] = ['', 'Syncdeck schedule benchmark', '==========================='];
  out.push(
    table(
      ['setting', 'value'],
      [
        ['machine', `${cpus.length} CPUs (${cpus[0]?.model.trim() ?? 'unknown'}), ${Math.round(os.totalmem() / 1024 / 1024)} MiB RAM; node ${process.version}, ${os.platform()} ${os.release()}`],
        ['database', s.dbLabel === 'ferretdb' ? 'ferretdb (embedded FerretDB v1.24 on SQLite)' : s.dbLabel],
        ['instances', `${options.instances} (SCHEDULER_POLL_MS=${options.pollMs}, product defaults otherwise)`],
        ['connectors', `${options.connectors} on 1-minute slots (demo: 1 record, no delay, no failures) + ${s.runNowIds.length} for run-now`],
        [
          'creation',
          `${s.createSeconds.toFixed(1)} s through POST /api/connectors, ${CREATE_CONCURRENCY} at a time (p50 ${ms(s.createMs.p50)} ms, max ${ms(s.createMs.max)} ms)` +
            (s.createErrors.length ? `; failed attempts, retried: ${s.createErrors.map(([m, n]) => `${n}x ${m}`).join(', ')}` : ''),
        ],
        ['window', `${w.from} .. ${w.to}: ${options.minutes} slots per connector, ${w.expected} expected`],
        ['CPU in window', `${w.cpu.busyPct}% of all CPUs busy: benchmark processes ${w.cpu.benchPct}%, other processes ${w.cpu.othersPct}%`],
        ['load average', `${w.load.start.join(' ')} at the window start, ${w.load.end.join(' ')} after it`],
      ],
      true,
    ),
  );
  out.push('', 'Scheduled start lateness, ms (startedAt - slot, and its parts)');
  out.push(
    table(
      ['measure', ...SUMMARY_HEADER],
      [
        summaryRow(w.lateness, 'lateness: slot -> startedAt'),
        summaryRow(w.parts.slotToQueued, '  slot -> run queued (job fired, decided)'),
        summaryRow(w.parts.queuedToStarted, '  run queued -> startedAt (claimed)'),
        summaryRow(w.parts.startedToEvent, 'startedAt -> sync:start received'),
      ],
    ),
  );
  if (w.trace) {
    out.push('', `Agenda's slot jobs, ms (--trace-jobs: ${w.trace.jobsSeen} of ${w.expected} job documents seen in ${w.trace.polls} polls, poll p50 ${ms(w.trace.poll.p50)} ms)`);
    out.push(
      table(
        ['measure', ...SUMMARY_HEADER],
        [
          summaryRow(w.trace.slotToLocked, 'slot -> job locked (negative: ahead)'),
          summaryRow(w.trace.slotToFired, 'slot -> job fired (lastRunAt)'),
          summaryRow(w.trace.firedToQueued, 'job fired -> run queued (handler)'),
        ],
      ),
    );
    out.push(
      `jobs locked by more than one instance: ${w.trace.lockedByMoreThanOneInstance}; locked more than once: ${w.trace.lockedMoreThanOnce}; ` +
        `fired more than once: ${w.trace.firedMoreThanOnce}`,
    );
  }
  out.push('', 'Lateness per slot and per instance, ms');
  out.push(
    table(
      ['slot / instance', ...SUMMARY_HEADER],
      [...w.perSlot.map((p) => summaryRow(p.lateness, p.slot)), ...w.perInstance.map((p) => summaryRow(p.lateness, `instance ${p.instance} (runs it executed)`))],
    ),
  );
  const counts = (list: Array<[string, number]>) => list.map(([k, n]) => `${k} ${n}`).join(', ') || '-';
  out.push('', 'Slots');
  out.push(
    table(
      ['check', 'value'],
      [
        ['run records in the window', `${w.records} (${counts(w.statuses)}; by trigger: ${counts(w.triggers)})`],
        ['drift: slots off the 60 s grid', w.drift.offGrid],
        ['drift: max deviation', `${w.drift.maxDeviationMs} ms (grid ${w.drift.gridDeviationMax} ms, consecutive slots ${w.drift.gapDeviationMax} ms; ${w.drift.unevenGaps} uneven gap(s))`],
        ['duplicates: extra run records per slot', w.duplicates.records],
        [
          'duplicates: extra sync:start per run id',
          `${w.duplicates.syncStartEvents} (${w.duplicates.runsStartedMoreThanOnce} runs seen starting twice on one socket, ${w.duplicates.startedOnTwoInstances} of them with two different start times)`,
        ],
        ['executed runs whose sync:start no socket saw', w.duplicates.startsNotSeen],
        ['executed runs some instance never pushed (relay gap)', w.duplicates.startsMissedBySomeSocket],
        ['missed: expected - succeeded/running', `${w.missed} of ${w.expected} (${w.noRecord} without any run record)`],
        [
          'connectors with no next slot planned',
          w.unplanned.length ? `${w.unplanned.length} (${w.unplanned.slice(0, 5).join(', ')}${w.unplanned.length > 5 ? ', …' : ''}): their schedule stopped` : 0,
        ],
      ],
      true,
    ),
  );
  for (const sample of w.duplicates.samples) {
    out.push(
      `  doubled: ${sample.runId} (${sample.trigger}, ${sample.status}, record: instance ${sample.recordInstance} at ${sample.recordStartedAt}); events: ` +
        sample.events.map((e) => `instance ${e.instance} startedAt ${e.startedAt} received ${e.receivedAt}`).join(', '),
    );
  }
  if (w.notSucceeded.length) {
    out.push('', 'Runs in the window that did not succeed, by status and reason');
    out.push(table(['status: reason', 'runs'], w.notSucceeded));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Run now

async function measureRunNow(s: Setup) {
  const { options, servers, events, auth, db, runNowIds } = s;
  const latency: number[] = [];
  const response: number[] = [];
  const errors: string[] = [];
  const runIds: string[] = [];
  if (!options.runNow) return null;
  say(`run-now: ${options.runNow} iterations on ${runNowIds.length} connectors, ${options.runNowConcurrency} at a time`);
  const deadline = Date.now() + RUN_NOW_PHASE_LIMIT_MS;
  let next = 0;
  let stoppedEarly: string | null = null;
  let consecutive = 0;
  const worker = async (w: number) => {
    // Worker w owns connectors w, w + concurrency, …: a connector is reused only after its run finished.
    const own = runNowIds.filter((_, i) => i % options.runNowConcurrency === w);
    let turn = 0;
    while (next < options.runNow && !stoppedEarly) {
      if (Date.now() > deadline) stoppedEarly = `the run-now phase reached its limit of ${RUN_NOW_PHASE_LIMIT_MS / 1000} s`;
      if (errors.length >= RUN_NOW_MAX_ERRORS || consecutive >= 5) stoppedEarly = `${errors.length} errors (${consecutive} in a row)`;
      if (stoppedEarly) break;
      const iteration = next++;
      const id = own[turn++ % own.length]!;
      const server = servers[iteration % servers.length]!;
      const t0 = performance.now();
      try {
        const res = await withTimeout(api<{ runId?: string }>(server.url, `/api/connectors/${id}/run`, { method: 'POST', auth }), RUN_NOW_START_TIMEOUT_MS, `POST /api/connectors/${id}/run`);
        const answered = performance.now();
        const runId = res.body?.runId;
        if (res.status !== 202 || !runId) throw new Error(`POST /api/connectors/${id}/run answered ${res.status}: ${JSON.stringify(res.body).slice(0, 200)}`);
        runIds.push(runId);
        response.push(answered - t0);
        await events.waitStart(runId, RUN_NOW_START_TIMEOUT_MS);
        latency.push(events.starts.get(runId)!.firstPerf - t0);
        await events.waitFinish(runId, RUN_NOW_FINISH_TIMEOUT_MS);
        consecutive = 0;
      } catch (error) {
        consecutive++;
        errors.push(describeError(error));
        await sleep(200);
      }
    }
  };
  await Promise.all(Array.from({ length: options.runNowConcurrency }, (_, w) => worker(w)));
  const manual = await collections.runs(db).find({ _id: { $in: runIds } }, { projection: { log: 0 } }).toArray();
  return {
    iterations: latency.length + errors.length,
    concurrency: options.runNowConcurrency,
    latency: summarize(latency),
    response: summarize(response),
    serverQueuedToStarted: summarize(manual.flatMap((r) => (r.startedAt ? [r.startedAt.getTime() - r.queuedAt.getTime()] : []))),
    errors: errors.length,
    errorSamples: groupCount(errors, (e) => e.replace(/bench-r-\d+[^\s)]*/g, '<id>').replace(/\d+/g, 'N')).slice(0, 5),
    stoppedEarly,
  };
}
type RunNowResult = NonNullable<Awaited<ReturnType<typeof measureRunNow>>>;

function reportRunNow(s: Setup, r: RunNowResult): string[] {
  const out = ['', `Run now, ms (${r.iterations} iterations on ${s.runNowIds.length} connectors, ${r.concurrency} at a time, POSTs spread over the instances)`];
  out.push(
    table(
      ['measure', ...SUMMARY_HEADER],
      [
        summaryRow(r.latency, 'POST sent -> sync:start received'),
        summaryRow(r.response, 'POST sent -> 202 received'),
        summaryRow(r.serverQueuedToStarted, 'run queued -> startedAt (server)'),
      ],
    ),
  );
  if (r.errors) out.push(`errors: ${r.errors} (${r.errorSamples.map(([m, n]) => `${n}x ${m}`).join('; ')})`);
  if (r.stoppedEarly) out.push(`stopped early: ${r.stoppedEarly}`);
  return out;
}

// ---------------------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const benchStarted = Date.now();
  // Bounded in time: start-up and creation, warm-up (<= 2 min), window, settle, run-now phase, and slack.
  const limitMs = 10 * MINUTE + options.minutes * MINUTE + (options.runNow ? RUN_NOW_PHASE_LIMIT_MS : 0) + Math.ceil(options.connectors / 50) * 10_000;
  const watchdog = stopAfter(limitMs, { say, stop: cleanup, kill: killEverything });

  const setup = await setUp(options);
  const window = await measureWindow(setup);
  // The window's figures first: they stand even if the run-now phase goes wrong.
  process.stdout.write(`${reportWindow(setup, window).join('\n')}\n`);
  const runNow = await measureRunNow(setup);
  if (runNow) process.stdout.write(`${reportRunNow(setup, runNow).join('\n')}\n`);

  const memory = setup.servers.map((server, i) => ({
    instance: i + 1,
    pid: server.pid,
    rssMiB: rssMiB(server.pid),
    children: server.children().map((c) => ({ name: c.name, pid: c.pid, rssMiB: rssMiB(c.pid) })),
  }));
  const problems = setup.servers.map((server) => [...loggedProblems(server)].sort((a, b) => b[1] - a[1]));
  const disconnects = [...setup.events.disconnects];
  await cleanup();
  clearTimeout(watchdog);

  const lat = window.lateness;
  const goals = {
    latenessP99: { goalMs: GOALS.latenessP99Ms, value: lat.p99, met: lat.p99 !== null && lat.p99 <= GOALS.latenessP99Ms },
    latenessP999: { goalMs: GOALS.latenessP999Ms, value: lat.p999, met: lat.p999 !== null && lat.p999 <= GOALS.latenessP999Ms },
    drift: { goalMs: GOALS.driftMs, value: window.drift.maxDeviationMs, met: window.drift.maxDeviationMs === GOALS.driftMs && window.drift.offGrid === 0 },
    duplicates: { goal: GOALS.duplicates, value: window.duplicates.total, met: window.duplicates.total === GOALS.duplicates },
    missed: { goal: GOALS.missed, value: window.missed, met: window.missed === GOALS.missed },
    runNowP99: runNow
      ? { goalMs: GOALS.runNowP99Ms, value: runNow.latency.p99, met: runNow.latency.p99 !== null && runNow.latency.p99 <= GOALS.runNowP99Ms && runNow.errors === 0 }
      : { goalMs: GOALS.runNowP99Ms, value: null, met: null },
  };

  const out: string[] = ['', 'Servers'];
  out.push(
    table(
      ['instance', 'pid', 'RSS MiB', 'processes it started (RSS MiB)'],
      memory.map((m) => [`instance ${m.instance}`, m.pid, ms(m.rssMiB), m.children.map((c) => `${c.name} ${c.pid} (${ms(c.rssMiB)})`).join(', ') || '-']),
    ),
  );
  for (const [i, found] of problems.entries()) {
    if (found.length) out.push(`instance ${i + 1} logged (last 400 lines): ${found.slice(0, 6).map(([m, n]) => `${n}x ${m}`).join('; ')}`);
  }
  if (disconnects.length) out.push(`socket disconnects: ${disconnects.join('; ')}`);
  const yes = (met: boolean | null) => (met === null ? '-' : met ? 'yes' : 'NO');
  out.push('', 'Goals');
  out.push(
    table(
      ['goal', 'target', 'measured', 'met'],
      [
        ['lateness p99', `<= ${GOALS.latenessP99Ms} ms`, `${ms(lat.p99)} ms`, yes(goals.latenessP99.met)],
        ['lateness p99.9', `<= ${GOALS.latenessP999Ms} ms`, `${ms(lat.p999)} ms`, yes(goals.latenessP999.met)],
        ['drift', `${GOALS.driftMs} ms`, `${window.drift.maxDeviationMs} ms, ${window.drift.offGrid} off grid`, yes(goals.drift.met)],
        ['duplicates', `${GOALS.duplicates}`, `${window.duplicates.total}`, yes(goals.duplicates.met)],
        ['missed slots', `${GOALS.missed}`, `${window.missed}`, yes(goals.missed.met)],
        ['run-now p99', `<= ${GOALS.runNowP99Ms} ms`, runNow ? `${ms(runNow.latency.p99)} ms${runNow.errors ? `, ${runNow.errors} errors` : ''}` : 'skipped', yes(goals.runNowP99.met)],
      ],
    ),
  );
  out.push(`(percentiles are nearest-rank: with fewer than 1000 samples p99.9 is the maximum. Total time ${Math.round((Date.now() - benchStarted) / 1000)} s.)`, '');
  process.stdout.write(`${out.join('\n')}\n`);

  const cpus = os.cpus();
  const result = {
    bench: 'schedule',
    at: new Date().toISOString(),
    machine: { cpus: cpus.length, cpuModel: cpus[0]?.model.trim() ?? 'unknown', totalMemMiB: Math.round(os.totalmem() / 1024 / 1024), node: process.version },
    database: setup.dbLabel,
    instances: options.instances,
    pollMs: options.pollMs,
    connectors: options.connectors,
    minutes: options.minutes,
    creation: { seconds: Math.round(setup.createSeconds * 10) / 10, perRequest: setup.createMs, failedAttempts: Object.fromEntries(setup.createErrors) },
    window: {
      from: window.from,
      to: window.to,
      expectedSlots: window.expected,
      runRecords: window.records,
      cpu: window.cpu,
      load: window.load,
      statuses: Object.fromEntries(window.statuses),
      triggers: Object.fromEntries(window.triggers),
      notSucceeded: Object.fromEntries(window.notSucceeded),
      connectorsWithoutNextSlot: window.unplanned.length,
    },
    lateness: lat,
    latenessParts: window.parts,
    perSlot: window.perSlot.map((p) => ({ slot: p.slot, n: p.lateness.n, p50: p.lateness.p50, p99: p.lateness.p99, max: p.lateness.max })),
    perInstance: window.perInstance.map((p) => ({ instance: p.instance, n: p.lateness.n, p50: p.lateness.p50, p99: p.lateness.p99, max: p.lateness.max })),
    agendaTrace: window.trace,
    drift: window.drift,
    duplicates: window.duplicates,
    missed: window.missed,
    runNow,
    memory,
    goals,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main()
  .then(() => process.exit(0))
  .catch(async (error) => {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n\n${USAGE}\n`);
      process.exit(2);
    }
    say(`benchmark failed: ${(error as Error).stack ?? error}`);
    for (const [i, server] of started.servers.entries()) {
      const tail = server.logs().split('\n').slice(-10).map((l) => l.slice(0, 400)).join('\n');
      if (tail.trim()) process.stderr.write(`--- last output of instance ${i + 1} ---\n${tail}\n`);
    }
    await cleanup().catch(() => undefined);
    process.exit(1);
  });
