/**
 * `npm run bench:faults`: does Syncdeck keep every slot, and its answers, while instances crash and the database
 * stalls?
 *
 * Starts the embedded database helper as a process of its own, two real server instances on it (MONGODB_URI), and
 * connectors on 1-minute slots (demo runs, and command runs whose processes can outlive a dead server). During a
 * window of --minutes slots it kills one instance with SIGKILL every --kill-every minutes (the one running more
 * connector processes, else alternating) and restarts
 * it on the same data dir and database, and stops the database (SIGSTOP) for --stall-seconds once, then SIGCONT. It
 * polls both instances' /api/health every 500 ms throughout. At the end it reads the `runs` collection and prints:
 * slots expected, slots with exactly one record, duplicates, slots lost, runs re-run after a crash, orphaned
 * processes, the longest /api/health answer and the time back on schedule after each kill, each goal with PASS or
 * MISS. It is a measurement: it exits 0 whatever the figures; non-zero only when it could not run. Everything it
 * starts is stopped by PID at the end, on error and on Ctrl-C (a stopped database is continued first).
 *
 *   node --import tsx tools/bench/faults.ts [--minutes 10] [--connectors 50] [--commands 10] [--kill-every 2]
 *                                           [--stall-seconds 30] [--quick]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { MongoClient, type Db } from 'mongodb';
import { createLogger } from '../../lib/logger';
import { slotRunId, type RunDoc } from '../../lib/runs/store';
import { ensureEmbeddedDbBinary } from '../../server/embedded-db';
import { api, type Auth } from '../../tests/support/api';
import { createToken } from '../../tests/support/database';
import { descendantsOf, isAlive, signal as signalProcess, type ProcessId } from '../../tests/support/processes';
import { ROOT, startServer, type TestServer } from '../../tests/support/server';
import { buildIsStale, nextBuild } from '../start';
import { killTree, stopAfter, stopOnInterrupt, UsageError, wholeNumberOption } from './options';
import { mapLimit, table } from './stats';
import { collections } from '../../lib/store/collections';

// ---------------------------------------------------------------------------------------------------------------
// Options

const USAGE = `Usage: npm run bench:faults -- [options]

  --minutes <n>        measured 1-minute slots, at least 3 (default 10; --quick: 4)
  --connectors <n>     connectors on 1-minute slots (default 50; --quick: 20)
  --commands <n>       how many of them are command connectors (a process that sleeps ${'20'} s; default 10; --quick: 5)
  --kill-every <n>     minutes between SIGKILLs of an instance, the one running more connector
                       processes (default 2)
  --stall-seconds <n>  how long the database is stopped (SIGSTOP), once, ending 5 s after the third slot
                       (default 30, at most 60; 0: no stall)
  --quick              a short run: 4 minutes, 20 connectors, 5 of them commands
  --help`;

interface Options {
  minutes: number;
  connectors: number;
  commands: number;
  killEvery: number;
  stallSeconds: number;
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      minutes: { type: 'string' },
      connectors: { type: 'string' },
      commands: { type: 'string' },
      'kill-every': { type: 'string' },
      'stall-seconds': { type: 'string' },
      quick: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const quick = values.quick!;
  const int = wholeNumberOption;
  const connectors = int('connectors', values.connectors, quick ? 20 : 50, 1, 500);
  const options = {
    minutes: int('minutes', values.minutes, quick ? 4 : 10, 3, 60),
    connectors,
    commands: int('commands', values.commands, Math.min(connectors, quick ? 5 : 10), 0, connectors),
    killEvery: int('kill-every', values['kill-every'], 2, 1, 60),
    stallSeconds: int('stall-seconds', values['stall-seconds'], 30, 0, 60),
  };
  return options;
}

// ---------------------------------------------------------------------------------------------------------------
// Constants

const MINUTE = 60_000;
/** A kill comes this long after a slot, while that slot's runs are going. */
const KILL_OFFSET_MS = 10_000;
/**
 * The stall ends this long after the window's third slot, so it covers that slot and ends before the kill that
 * follows it (with kills every 2 minutes): the slot after each kill is not also the one the stall covered.
 */
const STALL_ENDS_AFTER_MS = 5000;
/** Command connectors sleep this long: they are running when an instance is killed. */
const COMMAND_SECONDS = 20;
/** Demo runs: pages of one record, this long each, so they are running when an instance is killed. */
const DEMO_PAGES = 5;
const DEMO_PAGE_DELAY_MS = 3000;
/** How long a command's process may outlive its server (issue 11, item 9). */
const ORPHAN_GRACE_MS = 5000;
/** A slot run counts as on time when it started within this of its slot. */
const ON_TIME_MS = 5000;
const HEALTH_EVERY_MS = 500;
const HEALTH_TIMEOUT_MS = 5000;
/** After the last slot: runs finish, runs of a dead instance are interrupted (lease) and run again. */
const SETTLE_MS = 150_000;
const GOALS = { duplicates: 0, lost: 0, orphans: 0, healthMaxMs: 1000, slotsLateAfterKill: 0 } as const;

const say = (message: string) => process.stderr.write(`[bench] ${new Date().toISOString().slice(11, 23)} ${message}\n`);
const sleep = (msDelay: number) => new Promise((resolve) => setTimeout(resolve, msDelay));
const hhmmss = (t: number) => new Date(t).toISOString().slice(11, 19);
const seconds = (msValue: number) => `${(msValue / 1000).toFixed(1)} s`;

// ---------------------------------------------------------------------------------------------------------------
// The database helper, owned by the benchmark

interface BenchDatabase {
  uri: string;
  /** The helper's process: SIGSTOP / SIGCONT go here. */
  pid: number;
  stop(): Promise<void>;
}

/**
 * Starts the embedded database helper (tools/embedded-db) as the benchmark's own process, so that killing an
 * instance does not take the database with it. The one place that knows how the helper is started (its arguments
 * and the {"uri"} line it prints): adapt it here when the helper's start changes (credentials, a socket).
 * The helper exits by itself when the benchmark dies: it watches its stdin, which only the benchmark holds.
 */
async function startDatabase(dataDir: string): Promise<BenchDatabase> {
  const binary = await ensureEmbeddedDbBinary(createLogger({ level: 'warn', name: 'bench' }));
  const child: ChildProcess = spawn(binary, ['-data', path.join(dataDir, 'ferretdb')], { stdio: ['pipe', 'pipe', 'pipe'] });
  const stderr: string[] = [];
  createInterface({ input: child.stderr! }).on('line', (line) => {
    stderr.push(line);
    if (stderr.length > 20) stderr.shift();
  });
  const uri = await new Promise<string>((resolve, reject) => {
    const fail = (why: string) => reject(new Error(`the embedded database ${why}${stderr.length ? `:\n${stderr.join('\n')}` : ''}`));
    const timer = setTimeout(() => fail('did not start within 30 s'), 30_000);
    child.once('error', (error) => fail(`could not start (${error.message})`));
    child.once('exit', (code, sig) => fail(`exited early (code ${code ?? sig})`));
    createInterface({ input: child.stdout! }).once('line', (line) => {
      clearTimeout(timer);
      try {
        resolve((JSON.parse(line) as { uri: string }).uri);
      } catch {
        fail(`printed an unexpected line: ${line}`);
      }
    });
  });
  child.removeAllListeners('exit');
  return {
    uri,
    pid: child.pid!,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGCONT');
      child.stdin?.end();
      child.kill('SIGTERM');
      await Promise.race([exited, sleep(5000)]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// What the benchmark started, so it can always stop it

const started: {
  database?: BenchDatabase;
  stalled: boolean;
  client?: MongoClient;
  /** Every server process started, killed ones included (they are gone; disposing them is a no-op). */
  servers: TestServer[];
  /** Processes that outlived their killed server: killed by PID when counted, and again at the end. */
  leftovers: ProcessId[];
  dirs: string[];
} = { stalled: false, servers: [], leftovers: [], dirs: [] };
let cleaning: Promise<void> | undefined;

function cleanup(): Promise<void> {
  return (cleaning ??= (async () => {
    if (started.database && started.stalled) process.kill(started.database.pid, 'SIGCONT');
    await started.client?.close().catch(() => undefined);
    const results = await Promise.allSettled(started.servers.map((s) => s.stop()));
    for (const result of results) {
      if (result.status === 'rejected') say(`stopping a server failed: ${(result.reason as Error).message}`);
      else if (result.value.orphans.length) say(`killed ${result.value.orphans.length} leftover process(es) of a stopped server`);
    }
    for (const proc of started.leftovers) signalProcess(proc, 'SIGKILL');
    await started.database?.stop();
    for (const dir of started.dirs) await rm(dir, { recursive: true, force: true }).catch(() => undefined);
  })());
}

function killEverything(): void {
  if (started.database) killTree(started.database.pid);
  for (const server of started.servers) killTree(server.pid);
  for (const proc of started.leftovers) signalProcess(proc, 'SIGKILL');
}

stopOnInterrupt({ say, what: 'everything', stop: cleanup, kill: killEverything });

// ---------------------------------------------------------------------------------------------------------------
// Instances: two slots, each holding the current server process (or none while it restarts)

interface Instance {
  number: number;
  dataDir: string;
  server?: TestServer;
}

async function startInstance(instance: Instance, env: Record<string, string>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      instance.server = await startServer({ env, dataDir: instance.dataDir });
      started.servers.push(instance.server);
      return;
    } catch (error) {
      if (attempt === 3) throw error;
      say(`instance ${instance.number} did not start (${(error as Error).message.split('\n')[0]}); again`);
      await sleep(2000);
    }
  }
}

interface KillRecord {
  instance: number;
  at: number;
  /** Processes the server had started (command connectors and their wrappers) when it was killed. */
  processes: number;
  /** Those still alive ORPHAN_GRACE_MS after the kill. */
  orphans: ProcessId[];
  restartedAt?: number;
  restartError?: string;
  /** The restarted server's instance id, which its runs carry. */
  newInstanceId?: string;
}

/** SIGKILL of the instance's server, the count of its processes left after the grace, and a restart on its data dir. */
async function killAndRestart(instance: Instance, env: Record<string, string>): Promise<KillRecord> {
  const server = instance.server!;
  const children = descendantsOf(server.pid);
  instance.server = undefined;
  const at = Date.now();
  process.kill(server.pid, 'SIGKILL');
  say(`instance ${instance.number} killed (SIGKILL, pid ${server.pid}, ${children.length} process(es) of its connectors)`);
  const record: KillRecord = { instance: instance.number, at, processes: children.length, orphans: [] };
  // The orphan count waits out the grace before the restart, so the restart's own processes are not mixed in.
  void sleep(ORPHAN_GRACE_MS).then(() => {
    record.orphans = children.filter(isAlive);
    started.leftovers.push(...record.orphans);
    for (const proc of record.orphans) signalProcess(proc, 'SIGKILL');
    if (record.orphans.length) say(`${record.orphans.length} process(es) of killed instance ${instance.number} outlived it by ${ORPHAN_GRACE_MS / 1000} s`);
  });
  try {
    await startInstance(instance, env);
    record.restartedAt = Date.now();
    record.newInstanceId = (instance.server as TestServer | undefined)?.instanceId;
    say(`instance ${instance.number} restarted in ${seconds(record.restartedAt - at)}`);
  } catch (error) {
    record.restartError = (error as Error).message.split('\n')[0];
    say(`instance ${instance.number} could not be restarted: ${record.restartError}`);
  }
  await sleep(Math.max(0, at + ORPHAN_GRACE_MS + 100 - Date.now()));
  return record;
}

// ---------------------------------------------------------------------------------------------------------------
// /api/health, polled on both instances

interface HealthSample {
  instance: number;
  at: number;
  ms: number;
  /** error: refused or cut, which is not an answer: while the instance was being killed, or while it was up. */
  outcome: 'ok' | 'degraded' | 'timeout' | 'error';
  /** The instance was killed while the request was out. */
  killed?: boolean;
}

function pollHealth(instances: Instance[], until: () => boolean): { samples: HealthSample[]; done: Promise<void> } {
  const samples: HealthSample[] = [];
  const poll = async (instance: Instance) => {
    while (!until()) {
      const server = instance.server;
      const t0 = Date.now();
      if (server) {
        let outcome: HealthSample['outcome'];
        try {
          const res = await fetch(`${server.url}/api/health`, { signal: AbortSignal.timeout(HEALTH_TIMEOUT_MS) });
          await res.arrayBuffer();
          outcome = res.status === 200 ? 'ok' : 'degraded';
        } catch (error) {
          outcome = (error as Error).name === 'TimeoutError' ? 'timeout' : 'error';
        }
        // A killed instance's refused or cut requests are not answers: they are left out of the figure.
        samples.push({ instance: instance.number, at: t0, ms: outcome === 'timeout' ? HEALTH_TIMEOUT_MS : Date.now() - t0, outcome, killed: instance.server !== server });
      }
      await sleep(Math.max(0, t0 + HEALTH_EVERY_MS - Date.now()));
    }
  };
  return { samples, done: Promise.all(instances.map(poll)).then(() => undefined) };
}

// ---------------------------------------------------------------------------------------------------------------
// Counting slots: the one function that knows how records of a slot look

const RAN = new Set(['succeeded', 'failed']);
const FINAL = new Set(['succeeded', 'failed', 'cancelled', 'skipped']);

type SlotOutcome = 'one' | 'duplicate' | 'extra' | 'lost' | 'unfinished';

/**
 * The slot a run record belongs to: its id up to `~` (a re-run after a crash is `<slot run id>~rerun`, an attempt of
 * the same slot), or its connector, schedule and slot fields.
 */
const slotKeyOf = (run: RunDoc) => (run.scheduleId && run.slot ? slotRunId(run.connectorId, run.scheduleId, run.slot) : run._id.split('~')[0]!);

const isRerun = (run: RunDoc) => Boolean((run as RunDoc & { rerunOf?: string }).rerunOf) || run._id.includes('~rerun');

/**
 * How one slot ended, from its records. one: exactly one final record (ran, skipped or missed; interrupted attempts
 * before a re-run do not count); duplicate: more than one run that ran (succeeded or failed); extra: more than one
 * final record, at most one of which ran; lost: no record at all; unfinished: only interrupted (or still live)
 * records — interrupted and never run again.
 */
function classifySlot(records: RunDoc[]): { outcome: SlotOutcome; reruns: number; final?: RunDoc } {
  const reruns = records.filter(isRerun).length;
  if (records.length === 0) return { outcome: 'lost', reruns };
  const ran = records.filter((r) => RAN.has(r.status));
  if (ran.length > 1) return { outcome: 'duplicate', reruns };
  const final = records.filter((r) => FINAL.has(r.status));
  if (final.length === 1) return { outcome: 'one', reruns, final: final[0] };
  if (final.length > 1) return { outcome: 'extra', reruns };
  return { outcome: 'unfinished', reruns };
}

// ---------------------------------------------------------------------------------------------------------------
// Set-up

/** The servers' API routes run the production build: a missing or stale one is built first, or the figures would be
 * an older version's (connectors created with its defaults). */
async function ensureBuild(): Promise<void> {
  if (!existsSync(path.join(ROOT, '.next', 'BUILD_ID')) || buildIsStale()) {
    say('the production build of the web app is missing or older than the sources; building it now (npx next build)');
    await nextBuild();
  }
}

interface Setup {
  options: Options;
  env: Record<string, string>;
  instances: Instance[];
  db: Db;
  auth: Auth;
  ids: string[];
  createdAt: number;
}

async function setUp(options: Options): Promise<Setup> {
  await ensureBuild();
  const root = await mkdtemp(path.join(os.tmpdir(), 'syncdeck-bench-faults-'));
  started.dirs.push(root);
  say('starting the embedded database (owned by the benchmark)');
  started.database = await startDatabase(root);
  const { uri } = started.database;
  // Product defaults (heartbeat, poll, lease) except the log level; both instances on the benchmark's database.
  const env = { MONGODB_URI: uri, LOG_LEVEL: 'warn' };
  const instances: Instance[] = [1, 2].map((number) => ({ number, dataDir: path.join(root, `instance-${number}`) }));
  for (const instance of instances) {
    say(`starting instance ${instance.number}`);
    await startInstance(instance, env);
  }
  started.client = new MongoClient(uri, { directConnection: true, serverSelectionTimeoutMS: 10_000, appName: 'syncdeck-bench', maxPoolSize: 2 });
  await started.client.connect();
  const db = started.client.db('syncdeck');
  const { token } = await createToken(db, 'admin', 'bench-faults');
  const auth: Auth = { token };

  const ids = Array.from({ length: options.connectors }, (_, i) => `faults-${String(i + 1).padStart(3, '0')}`);
  say(`creating ${ids.length} connectors (${options.commands} command, ${ids.length - options.commands} demo) on 1-minute slots`);
  await mapLimit(ids, 4, async (id, index) => {
    const command = index < options.commands;
    const body = {
      id,
      name: `Faults ${id}`,
      ...(command
        ? { kind: 'command', config: { command: 'sleep', args: [String(COMMAND_SECONDS)] } }
        : { kind: 'demo', config: { records: DEMO_PAGES, pageSize: 1, pageDelayMs: DEMO_PAGE_DELAY_MS, failureRate: 0 } }),
      schedules: [{ id: 'm', type: 'interval', everySeconds: 60 }],
    };
    const server = instances[index % 2]!.server!;
    const res = await api(server.url, '/api/connectors', { method: 'POST', auth, body });
    if (res.status !== 201) throw new Error(`POST /api/connectors (${id}) answered ${res.status}: ${JSON.stringify(res.body).slice(0, 300)}`);
  });
  return { options, env, instances, db, auth, ids, createdAt: Date.now() };
}

// ---------------------------------------------------------------------------------------------------------------
// The window: kills, the stall, health

interface Window {
  start: number;
  lastSlot: number;
  kills: KillRecord[];
  stall?: { from: number; to: number };
  health: HealthSample[];
}

async function runWindow(s: Setup): Promise<Window> {
  const { options, instances, env } = s;
  // One minute of warm-up after creation, then the first slot.
  const start = (Math.floor((s.createdAt + MINUTE) / MINUTE) + 1) * MINUTE;
  const lastSlot = start + (options.minutes - 1) * MINUTE;
  const killTimes: number[] = [];
  for (let t = start + KILL_OFFSET_MS; t < lastSlot; t += options.killEvery * MINUTE) killTimes.push(t);
  const stallAt = options.stallSeconds ? start + 2 * MINUTE + STALL_ENDS_AFTER_MS - options.stallSeconds * 1000 : undefined;
  say(
    `window: slots ${hhmmss(start)} to ${hhmmss(lastSlot)} (${options.minutes} min); kills at ${killTimes.map(hhmmss).join(', ')}` +
      `${stallAt ? `; database stopped ${hhmmss(stallAt)} for ${options.stallSeconds} s` : ''}; warm-up until then`,
  );
  const end = lastSlot + SETTLE_MS;
  let stopped = false;
  const health = pollHealth(instances, () => stopped);

  const kills: KillRecord[] = [];
  const killing = (async () => {
    for (const [k, t] of killTimes.entries()) {
      await sleep(Math.max(0, t - Date.now()));
      // The instance running more connector processes (so orphans are measurable), else alternating.
      const load = instances.map((i) => (i.server ? descendantsOf(i.server.pid).length : -1));
      const instance = load[0] === load[1] ? instances[k % 2]! : instances[load[0]! > load[1]! ? 0 : 1]!;
      if (!instance.server) {
        say(`instance ${instance.number} is not running at ${hhmmss(t)}: kill skipped`);
        continue;
      }
      kills.push(await killAndRestart(instance, env));
    }
  })();
  let stall: Window['stall'];
  const stalling = (async () => {
    if (!stallAt) return;
    await sleep(Math.max(0, stallAt - Date.now()));
    const pid = started.database!.pid;
    started.stalled = true;
    process.kill(pid, 'SIGSTOP');
    const from = Date.now();
    say(`database stopped (SIGSTOP, pid ${pid})`);
    await sleep(options.stallSeconds * 1000);
    process.kill(pid, 'SIGCONT');
    started.stalled = false;
    stall = { from, to: Date.now() };
    say('database continued (SIGCONT)');
  })();
  let reported = -1;
  while (Date.now() < lastSlot + 5000) {
    const minute = Math.floor((Date.now() - start) / MINUTE);
    if (minute >= 0 && minute !== reported && minute < options.minutes) {
      reported = minute;
      say(`window minute ${minute + 1} of ${options.minutes}`);
    }
    await sleep(1000);
  }
  await Promise.all([killing, stalling]);
  // Settle: until every slot of the window has its final record, or the deadline.
  say('waiting for the last runs, and for re-runs of interrupted ones');
  const expected = windowSlotIds(s.ids, start, lastSlot);
  while (Date.now() < end) {
    const counted = countSlots(await readRuns(s.db, s.ids, start, lastSlot), expected);
    if (counted.byOutcome.one + counted.byOutcome.duplicate + counted.byOutcome.extra === expected.length) break;
    await sleep(5000);
  }
  stopped = true;
  await health.done;
  return { start, lastSlot, kills, stall, health: health.samples };
}

const windowSlotIds = (ids: string[], start: number, lastSlot: number) => {
  const slots: string[] = [];
  for (const id of ids) for (let t = start; t <= lastSlot; t += MINUTE) slots.push(slotRunId(id, 'm', new Date(t)));
  return slots;
};

async function readRuns(db: Db, ids: string[], start: number, lastSlot: number): Promise<RunDoc[]> {
  const all = await collections.runs(db).find({ connectorId: { $in: ids } }, { projection: { log: 0 } }).toArray();
  return all.filter((run) => {
    const key = slotKeyOf(run);
    const slot = Date.parse(key.slice(key.lastIndexOf(':m:') + 3));
    return slot >= start && slot <= lastSlot;
  });
}

function countSlots(runs: RunDoc[], expected: string[]) {
  const bySlot = new Map<string, RunDoc[]>(expected.map((id) => [id, []]));
  for (const run of runs) bySlot.get(slotKeyOf(run))?.push(run);
  const byOutcome: Record<SlotOutcome, number> = { one: 0, duplicate: 0, extra: 0, lost: 0, unfinished: 0 };
  let reruns = 0;
  const finals = new Map<string, RunDoc>();
  for (const [id, records] of bySlot) {
    const result = classifySlot(records);
    byOutcome[result.outcome]++;
    reruns += result.reruns;
    if (result.final) finals.set(id, result.final);
  }
  return { bySlot, byOutcome, reruns, finals };
}

// ---------------------------------------------------------------------------------------------------------------
// Report

/**
 * Back on schedule after a kill: the first slot after the kill at which every connector's run started on time
 * (a scheduled run that started within ON_TIME_MS of the slot). Reported as that slot's distance from the kill, and
 * as how many slots after the kill's next slot it came (0: the very next slot, the goal).
 */
function backOnSchedule(kill: KillRecord, ids: string[], runs: RunDoc[], w: Window): { slot?: number; late?: number; onTimeAtNext: number } {
  const byId = new Map(runs.map((r) => [r._id, r]));
  const next = (Math.floor(kill.at / MINUTE) + 1) * MINUTE;
  let onTimeAtNext = 0;
  for (let slot = next, late = 0; slot <= w.lastSlot; slot += MINUTE, late++) {
    const onTime = ids.filter((id) => {
      const run = byId.get(slotRunId(id, 'm', new Date(slot)));
      return run?.trigger === 'scheduled' && run.startedAt !== undefined && RAN.has(run.status) && run.startedAt.getTime() - slot <= ON_TIME_MS;
    }).length;
    if (slot === next) onTimeAtNext = onTime;
    if (onTime === ids.length) return { slot, late, onTimeAtNext };
  }
  return { onTimeAtNext };
}

/** The first slot the restarted instance ran, and how late it started. */
function firstSlotRunBy(instanceId: string | undefined, runs: RunDoc[]): string {
  const first = runs.filter((r) => instanceId && r.instanceId === instanceId && r.slot && r.startedAt).sort((a, b) => a.slot!.getTime() - b.slot!.getTime())[0];
  return first ? `${hhmmss(first.slot!.getTime())} (+${first.startedAt!.getTime() - first.slot!.getTime()} ms, ${first.trigger})` : 'none in the window';
}

function report(s: Setup, w: Window, runs: RunDoc[], finalOrphans: number): string[] {
  const expected = windowSlotIds(s.ids, w.start, w.lastSlot);
  const counted = countSlots(runs, expected);
  const o = counted.byOutcome;
  const lost = o.lost + o.unfinished;
  const orphans = w.kills.reduce((sum, k) => sum + k.orphans.length, 0) + finalOrphans;
  const answers = w.health.filter((h) => h.outcome !== 'error');
  const healthMax = Math.max(0, ...answers.map((h) => h.ms));
  const slowest = answers.filter((h) => h.ms === healthMax)[0];
  const over1s = answers.filter((h) => h.ms > 1000).length;
  const inStall = w.stall ? answers.filter((h) => h.at >= w.stall!.from && h.at <= w.stall!.to) : [];
  const backs = w.kills.map((k) => ({ kill: k, back: backOnSchedule(k, s.ids, runs, w) }));
  const worstLate = backs.length ? Math.max(...backs.map((b) => b.back.late ?? Number.POSITIVE_INFINITY)) : 0;
  const statuses = new Map<string, number>();
  for (const run of counted.finals.values()) {
    const key = run.status === 'skipped' ? `skipped (${run.reason ?? 'no reason'})` : `${run.status}${run.trigger === 'scheduled' ? '' : ` (${run.trigger})`}`;
    statuses.set(key, (statuses.get(key) ?? 0) + 1);
  }
  const mark = (met: boolean) => (met ? 'PASS' : 'MISS');
  const lines = [
    '',
    `bench:faults — ${s.ids.length} connectors (${s.options.commands} command) on 1-minute slots, 2 instances, slots ${hhmmss(w.start)}-${hhmmss(w.lastSlot)} UTC`,
    `machine: ${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`,
    '',
    table(
      ['figure', 'value', 'goal', ''],
      [
        ['slots expected', expected.length, '-', ''],
        ['slots with exactly one record', o.one, `${expected.length}`, ''],
        ['duplicates (slots with more than one run)', o.duplicate, '0', mark(o.duplicate <= GOALS.duplicates)],
        ['slots with more than one record, one run at most', o.extra, '-', ''],
        ['slots lost (no record, or interrupted and never re-run)', `${lost} (${o.lost} + ${o.unfinished})`, '0', mark(lost <= GOALS.lost)],
        ['runs re-run after a crash', counted.reruns, '-', ''],
        [`orphaned processes (alive ${ORPHAN_GRACE_MS / 1000} s after their server died)`, orphans, '0', mark(orphans <= GOALS.orphans)],
        ['longest /api/health answer', `${healthMax} ms${slowest ? ` (instance ${slowest.instance}, ${hhmmss(slowest.at)}, ${slowest.outcome})` : ''}`, '<= 1000 ms', mark(healthMax <= GOALS.healthMaxMs)],
        ['back on schedule after each kill (slots after the next one)', backs.map((b) => (b.back.late === undefined ? 'never' : String(b.back.late))).join(', ') || '-', '0 each', mark(worstLate <= GOALS.slotsLateAfterKill)],
      ],
      true,
    ),
    '',
    `health: ${answers.length} answers (${answers.filter((h) => h.outcome === 'ok').length} ok, ${answers.filter((h) => h.outcome === 'degraded').length} degraded, ${answers.filter((h) => h.outcome === 'timeout').length} timed out at 5 s), ${over1s} over 1 s; ` +
      `${w.health.filter((h) => h.killed).length} cut by a kill, ${w.health.filter((h) => h.outcome === 'error' && !h.killed).length} failed otherwise` +
      (w.stall ? `; during the database stall: ${inStall.length} answers, longest ${Math.max(0, ...inStall.map((h) => h.ms))} ms, ${inStall.filter((h) => h.outcome === 'degraded').length} degraded` : ''),
    '',
    table(
      ['kill', 'instance', 'its processes', 'orphans', 'restarted after', 'its first slot run', 'next slot on time', 'back on schedule'],
      backs.map(({ kill, back }) => [
        hhmmss(kill.at),
        kill.instance,
        kill.processes,
        kill.orphans.length,
        kill.restartedAt ? seconds(kill.restartedAt - kill.at) : `failed: ${kill.restartError}`,
        firstSlotRunBy(kill.newInstanceId, runs),
        `${back.onTimeAtNext} of ${s.ids.length}`,
        back.slot === undefined ? 'not within the window' : `slot ${hhmmss(back.slot)}, ${seconds(back.slot - kill.at)} after the kill${back.late ? ` (${back.late} slot(s) late)` : ' (the next slot)'}`,
      ]),
    ),
    '',
    `final records by status: ${[...statuses].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(', ') || '-'}`,
  ];
  const problems = [...counted.bySlot].filter(([id]) => classifySlot(counted.bySlot.get(id)!).outcome !== 'one').slice(0, 12);
  if (problems.length) {
    lines.push('', 'slots without exactly one record (first 12):');
    for (const [id, records] of problems) lines.push(`  ${id}: ${classifySlot(records).outcome}; ${records.map((r) => `${r._id.slice(id.length) || '#'} ${r.trigger} ${r.status}${r.reason ? ` (${r.reason})` : ''}${r.error ? ` [${r.error.kind}: ${r.error.message.slice(0, 80)}]` : ''}`).join('; ') || 'no record'}`);
  }
  lines.push(
    '',
    JSON.stringify({
      slotsExpected: expected.length,
      exactlyOne: o.one,
      duplicates: o.duplicate,
      extra: o.extra,
      lost,
      reruns: counted.reruns,
      orphans,
      healthMaxMs: healthMax,
      healthOver1s: over1s,
      kills: backs.map(({ kill, back }) => ({ at: new Date(kill.at).toISOString(), instance: kill.instance, orphans: kill.orphans.length, restartMs: kill.restartedAt ? kill.restartedAt - kill.at : null, backOnScheduleSlot: back.slot ? new Date(back.slot).toISOString() : null, slotsLate: back.late ?? null })),
      goals: {
        duplicates: { target: GOALS.duplicates, value: o.duplicate, met: o.duplicate <= GOALS.duplicates },
        lost: { target: GOALS.lost, value: lost, met: lost <= GOALS.lost },
        orphans: { target: GOALS.orphans, value: orphans, met: orphans <= GOALS.orphans },
        healthMaxMs: { target: GOALS.healthMaxMs, value: healthMax, met: healthMax <= GOALS.healthMaxMs },
        backOnScheduleByNextSlot: { target: GOALS.slotsLateAfterKill, value: Number.isFinite(worstLate) ? worstLate : null, met: worstLate <= GOALS.slotsLateAfterKill },
      },
    }),
  );
  return lines;
}

// ---------------------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  // Bounded: set-up (<= 5 min), warm-up (<= 2 min), the window, settling, and slack.
  const limitMs = 10 * MINUTE + options.minutes * MINUTE + SETTLE_MS;
  stopAfter(limitMs, { say, stop: cleanup, kill: killEverything });

  const setup = await setUp(options);
  const window = await runWindow(setup);
  const runs = await readRuns(setup.db, setup.ids, window.start, window.lastSlot);
  // The instances' own processes left after a graceful stop count as orphans too.
  await started.client?.close();
  started.client = undefined;
  let finalOrphans = 0;
  for (const instance of setup.instances) {
    const result = await instance.server?.stop();
    finalOrphans += result?.orphans.length ?? 0;
  }
  process.stdout.write(`${report(setup, window, runs, finalOrphans).join('\n')}\n`);
  await cleanup();
}

main().then(
  () => process.exit(0),
  async (error: unknown) => {
    say(error instanceof UsageError ? error.message : `the benchmark failed: ${(error as Error).stack ?? String(error)}`);
    await Promise.race([cleanup(), sleep(40_000)]);
    killEverything();
    process.exit(error instanceof UsageError ? 2 : 1);
  },
);
