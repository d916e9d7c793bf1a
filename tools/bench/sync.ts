/**
 * `npm run bench:sync`: how fast the http-json connector kind moves records from a paged JSON API into the
 * database, compared on the same run and database with the raw driver's unordered bulkWrite upserts and with a
 * naive one-upsert-per-record loop.
 *
 * It starts a fake upstream (tools/bench/sync-source.ts, its own process on 127.0.0.1, pages generated on the
 * fly) and the embedded FerretDB (or uses --mongodb-uri / MONGODB_URI, in a fresh database it drops at the end),
 * then runs the http-json kind in this process through `createRunContext`, the same context the server's run
 * executor builds (HTTP client, destination helper, checkpoint, counts). It is a benchmark, not a test: it prints
 * figures and whether each goal is met and exits 0 either way; only a failure of the benchmark itself exits
 * non-zero. Everything it starts is stopped by PID on exit, on error, on Ctrl-C and when --max-minutes passes.
 *
 *   node --import tsx tools/bench/sync.ts [--records 100000] [--page-size 1000] [--naive-sample 1000]
 *                                         [--raw-seconds 60] [--rerun] [--mongodb-uri mongodb://…] [--max-minutes 30]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { MongoClient, type AnyBulkWriteOperation, type Db, type Document } from 'mongodb';
import { createRunContext } from '../../lib/connectors/context';
import { httpJsonConfigSchema, httpJsonConnector, type HttpJsonSecrets } from '../../lib/connectors/kinds/http-json';
import { createLogger } from '../../lib/logger';
import { emptyCounts, type LogLevel } from '../../lib/domain/run';
import { startEmbeddedDb, type LocalDatabase } from '../../server/embedded-db';
import { benchRecord } from './sync-source';

const USAGE = `Usage: npm run bench:sync -- [options]

  --records <n>        records the fake API serves and the connector syncs (default 100000; e.g. 1000000)
  --page-size <n>      records per page of the fake API (default 1000)
  --naive-sample <n>   records written one upsert at a time for the naive figure, then extrapolated (default 1000)
  --mongodb-uri <uri>  use this MongoDB (default: MONGODB_URI, else the embedded FerretDB); a fresh database is
                       created and dropped
  --rerun              also time a second connector run over the same records (all unchanged); slow on FerretDB,
                       whose queries scan the collection (see README)
  --raw-seconds <n>    time box of each raw-driver figure: at most this long, then the rate so far (default 60)
  --max-minutes <n>    stop everything and exit 1 after this long (default 30)
  --help`;

const { values } = parseArgs({
  options: {
    records: { type: 'string', default: '100000' },
    'page-size': { type: 'string', default: '1000' },
    'naive-sample': { type: 'string', default: '1000' },
    'mongodb-uri': { type: 'string' },
    'max-minutes': { type: 'string', default: '30' },
    'raw-seconds': { type: 'string', default: '60' },
    rerun: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const RECORDS = Number(values.records);
const PAGE_SIZE = Number(values['page-size']);
const NAIVE_SAMPLE = Number(values['naive-sample']);
const MAX_MINUTES = Number(values['max-minutes']);
const RAW_SECONDS = Number(values['raw-seconds']);
const RERUN = values.rerun === true;
const MONGODB_URI = values['mongodb-uri'] ?? process.env.MONGODB_URI;
const bad = (name: string, rule: string) => {
  process.stderr.write(`--${name}: ${rule}\n\n${USAGE}\n`);
  process.exit(2);
};
if (!Number.isInteger(RECORDS) || RECORDS < 1000 || RECORDS > 10_000_000) bad('records', 'must be a whole number between 1000 and 10000000');
if (!Number.isInteger(PAGE_SIZE) || PAGE_SIZE < 10 || PAGE_SIZE > 10_000) bad('page-size', 'must be a whole number between 10 and 10000');
if (!Number.isInteger(NAIVE_SAMPLE) || NAIVE_SAMPLE < 100 || NAIVE_SAMPLE > RECORDS) bad('naive-sample', `must be a whole number between 100 and --records`);
if (!Number.isFinite(MAX_MINUTES) || MAX_MINUTES <= 0 || MAX_MINUTES > 600) bad('max-minutes', 'must be a number of minutes between 0 and 600');
if (!Number.isFinite(RAW_SECONDS) || RAW_SECONDS < 5 || RAW_SECONDS > 36_000) bad('raw-seconds', 'must be a number of seconds between 5 and 36000');
if (MONGODB_URI && !/^mongodb(\+srv)?:\/\//.test(MONGODB_URI)) bad('mongodb-uri', 'must be a mongodb:// or mongodb+srv:// connection string');

const say = (line: string) => process.stdout.write(`${line}\n`);
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const rate = (n: number, ms: number) => (n / ms) * 1000;
/** RSS and its biggest parts, for the progress lines. */
const memory = () => {
  const m = process.memoryUsage();
  return `RSS ${mb(m.rss)} (JS heap ${mb(m.heapUsed)} used of ${mb(m.heapTotal)}, external ${mb(m.external)})`;
};
const fmtRate = (perS: number) => `${Math.round(perS).toLocaleString('en-US')} records/s`;

// ---------------------------------------------------------------------------------------------------------------
// Everything we start, and how to stop it

const TOKEN = `bench-${process.pid}-${Date.now().toString(36)}`;
const DB_NAME = `syncdeck_bench_sync_${process.pid}`;
let source: ChildProcess | undefined;
let local: LocalDatabase | undefined;
let client: MongoClient | undefined;
let dataDir: string | undefined;
const runAbort = new AbortController();
let cleaning: Promise<void> | undefined;

function cleanup(): Promise<void> {
  return (cleaning ??= (async () => {
    runAbort.abort();
    if (source && source.exitCode === null && source.signalCode === null && source.pid) {
      const pid = source.pid;
      const exited = new Promise<void>((resolve) => source!.once('exit', () => resolve()));
      process.kill(pid, 'SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
      if (source.exitCode === null && source.signalCode === null) process.kill(pid, 'SIGKILL');
    }
    if (client && MONGODB_URI) await client.db(DB_NAME).dropDatabase().catch(() => undefined);
    await client?.close().catch(() => undefined);
    await local?.stop().catch(() => undefined);
    if (dataDir) await rm(dataDir, { recursive: true, force: true }).catch(() => undefined);
  })());
}

for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(sig, () => {
    say(`${sig}: stopping what the benchmark started`);
    void cleanup().finally(() => process.exit(130));
  });
}
const deadline = setTimeout(() => {
  say(`--max-minutes ${MAX_MINUTES} passed: stopping`);
  void cleanup().finally(() => process.exit(1));
}, MAX_MINUTES * 60_000);
deadline.unref();

// ---------------------------------------------------------------------------------------------------------------
// Parts

async function startSource(): Promise<string> {
  const script = path.join(import.meta.dirname, 'sync-source.ts');
  source = spawn(process.execPath, ['--import', 'tsx', script, '--records', String(RECORDS), '--token', TOKEN], { stdio: ['pipe', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the fake API did not start within 30 s')), 30_000);
    source!.once('exit', (code) => reject(new Error(`the fake API exited early (code ${code})`)));
    createInterface({ input: source!.stdout! }).once('line', (line) => {
      clearTimeout(timer);
      resolve((JSON.parse(line) as { port: number }).port);
    });
  });
  return `http://127.0.0.1:${port}`;
}

async function openDb(): Promise<{ db: Db; kind: string }> {
  let uri = MONGODB_URI;
  if (!uri) {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'syncdeck-bench-sync-'));
    local = await startEmbeddedDb({ dataDir, logger: createLogger({ level: 'warn', name: 'bench' }) });
    uri = local.uri;
  }
  const probe = new MongoClient(uri, { directConnection: !uri.includes(','), serverSelectionTimeoutMS: 10_000 });
  const info = await probe.db(DB_NAME).command({ buildInfo: 1 });
  await probe.close();
  const ferret = info.ferretdbVersion !== undefined;
  // Same pool rule as the server (server/database.ts): FerretDB on SQLite stalls with more than two connections.
  client = new MongoClient(uri, { directConnection: !uri.includes(','), serverSelectionTimeoutMS: 10_000, appName: 'syncdeck-bench', ...(ferret ? { maxPoolSize: 2 } : {}) });
  await client.connect();
  return { db: client.db(DB_NAME), kind: ferret ? `FerretDB (buildInfo version ${info.version}; maxPoolSize 2)` : `MongoDB ${info.version}` };
}

/** Samples this process's RSS every 50 ms while `work` runs. */
async function withPeakRss<T>(work: () => Promise<T>): Promise<{ result: T; peakRss: number }> {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 50);
  try {
    const result = await work();
    return { result, peakRss: Math.max(peak, process.memoryUsage.rss()) };
  } finally {
    clearInterval(timer);
  }
}

/** The http-json kind, in this process, through the server's run context. */
async function runConnector(db: Db, baseUrl: string, runId: string) {
  const config = httpJsonConfigSchema.parse({
    url: `${baseUrl}/records`,
    auth: { type: 'bearer' },
    pagination: { type: 'page', param: 'page', sizeParam: 'per_page', size: PAGE_SIZE },
    maxPages: Math.ceil(RECORDS / PAGE_SIZE) + 1,
    itemsPath: 'data',
    idField: 'id',
    totalPath: 'total',
    destination: { collection: 'bench_connector' },
    retries: 0,
    timeoutSeconds: 120,
  });
  const counts = emptyCounts();
  const problems: string[] = [];
  const log = (level: LogLevel, message: string) => {
    if (level === 'warn' || level === 'error') problems.push(`${level}: ${message}`);
  };
  let lastShown = 0;
  const progress = (done: number, total?: number) => {
    if (Date.now() - lastShown < 10_000) return;
    lastShown = Date.now();
    say(`    … ${done.toLocaleString('en-US')}${total ? ` of ${total.toLocaleString('en-US')}` : ''} records, ${memory()}`);
  };
  const { ctx } = await createRunContext<typeof config>({
    db,
    runId,
    connectorId: 'bench-sync',
    config,
    secrets: { token: TOKEN },
    signal: runAbort.signal,
    counts,
    log,
    progress,
  });
  const started = performance.now();
  await httpJsonConnector.run({ ...ctx, secrets: ctx.secrets as HttpJsonSecrets });
  return { ms: performance.now() - started, counts, problems };
}

/**
 * The raw driver on the same records, no HTTP, batches of 1000 one at a time: `upsert` as unordered bulkWrite
 * updateOne upserts, else as unordered insertMany (only new records, the driver's fastest path). Time-boxed to
 * `seconds` (all records when they fit); the rate is records written over time taken.
 */
async function runRaw(db: Db, mode: 'upsert' | 'insert', seconds: number): Promise<{ ms: number; records: number }> {
  const target = db.collection<Document>(`bench_raw_${mode}`);
  const started = performance.now();
  let written = 0;
  for (let first = 1; first <= RECORDS; first += 1000) {
    const records = [];
    for (let n = first; n < first + 1000 && n <= RECORDS; n++) records.push(benchRecord(n));
    if (mode === 'upsert') {
      const ops: AnyBulkWriteOperation<Document>[] = records.map((record) => ({ updateOne: { filter: { _id: record.id } as Document, update: { $set: record }, upsert: true } }));
      await target.bulkWrite(ops, { ordered: false });
    } else {
      await target.insertMany(records.map((record) => ({ _id: record.id, ...record }) as Document), { ordered: false });
    }
    written += records.length;
    if (runAbort.signal.aborted) throw new Error('stopped');
    if (performance.now() - started > seconds * 1000) break;
  }
  return { ms: performance.now() - started, records: written };
}

/** A naive loop: one awaited updateOne upsert per record, on a sample. */
async function runNaive(db: Db): Promise<number> {
  const target = db.collection<Document>('bench_naive');
  const started = performance.now();
  for (let n = 1; n <= NAIVE_SAMPLE; n++) {
    const record = benchRecord(n);
    await target.updateOne({ _id: record.id } as Document, { $set: record }, { upsert: true });
    if (runAbort.signal.aborted) throw new Error('stopped');
  }
  return performance.now() - started;
}

// ---------------------------------------------------------------------------------------------------------------

async function main() {
  const load = os.loadavg();
  say(`bench:sync — ${RECORDS.toLocaleString('en-US')} records, pages of ${PAGE_SIZE}`);
  say(`machine: ${os.cpus().length} CPU(s) ${os.cpus()[0]?.model ?? ''}, ${mb(os.totalmem())} RAM, load average ${load.map((l) => l.toFixed(2)).join(' ')} (shared machine: other load makes every figure worse)`);
  say(`node ${process.version}`);
  const [baseUrl, { db, kind }] = await Promise.all([startSource(), openDb()]);
  say(`database: ${kind}; fake API: ${baseUrl} (pid ${source?.pid})`);

  say(`1/4 http-json connector, first run (every record new); RSS before: ${mb(process.memoryUsage.rss())}…`);
  const first = await withPeakRss(() => runConnector(db, baseUrl, 'bench-run-1'));
  const connectorRate = rate(RECORDS, first.result.ms);
  const maxRssKb = process.resourceUsage().maxRSS;
  say(`    ${fmtRate(connectorRate)} (${(first.result.ms / 1000).toFixed(1)} s); counts ${JSON.stringify(first.result.counts)}; peak RSS ${mb(first.peakRss)}`);
  for (const line of first.result.problems.slice(0, 5)) say(`    ${line}`);

  let second: Awaited<ReturnType<typeof runConnector>> | undefined;
  if (RERUN) {
    say('2/4 http-json connector, second run (every record unchanged)…');
    second = (await withPeakRss(() => runConnector(db, baseUrl, 'bench-run-2'))).result;
    say(`    ${fmtRate(rate(RECORDS, second.ms))} (${(second.ms / 1000).toFixed(1)} s); counts ${JSON.stringify(second.counts)}`);
  } else say('2/4 second run (all unchanged): skipped (--rerun times it)');
  const rerunRate = second ? rate(RECORDS, second.ms) : undefined;

  say(`3/4 raw driver, same records, no HTTP, batches of 1000 (each time-boxed to ${RAW_SECONDS} s)…`);
  const raw = await runRaw(db, 'upsert', RAW_SECONDS);
  const rawRate = rate(raw.records, raw.ms);
  const rawBoxed = raw.records < RECORDS ? `; time-boxed: ${raw.records.toLocaleString('en-US')} of ${RECORDS.toLocaleString('en-US')} records, rate extrapolated` : '';
  say(`    unordered bulkWrite updateOne upserts: ${fmtRate(rawRate)} (${(raw.ms / 1000).toFixed(1)} s${rawBoxed})`);
  const rawInsert = await runRaw(db, 'insert', RAW_SECONDS);
  const rawInsertRate = rate(rawInsert.records, rawInsert.ms);
  say(`    unordered insertMany (new records only): ${fmtRate(rawInsertRate)} (${(rawInsert.ms / 1000).toFixed(1)} s${rawInsert.records < RECORDS ? `; time-boxed: ${rawInsert.records.toLocaleString('en-US')} records` : ''})`);

  say(`4/4 naive loop: one awaited updateOne upsert per record, on a sample of ${NAIVE_SAMPLE.toLocaleString('en-US')}…`);
  const naiveMs = await runNaive(db);
  const naiveRate = rate(NAIVE_SAMPLE, naiveMs);
  say(`    ${fmtRate(naiveRate)} (${(naiveMs / 1000).toFixed(1)} s for the sample; extrapolated to ${RECORDS.toLocaleString('en-US')} records: ${(RECORDS / naiveRate).toFixed(0)} s)`);

  const countsRight =
    first.result.counts.fetched === RECORDS &&
    first.result.counts.created === RECORDS &&
    (!second || (second.counts.created === 0 && second.counts.unchanged === RECORDS)) &&
    first.result.problems.length === 0;
  const rssGoalApplies = RECORDS >= 1_000_000;
  const goals = [
    { goal: 'connector >= 80% of raw bulkWrite upserts', target: 0.8, value: connectorRate / rawRate, met: connectorRate / rawRate >= 0.8 },
    { goal: 'connector vs raw insertMany of new records (no goal; the fastest the driver writes)', target: null, value: connectorRate / rawInsertRate, met: null },
    { goal: 'connector >= 10x the naive loop', target: 10, value: connectorRate / naiveRate, met: connectorRate / naiveRate >= 10 },
    {
      goal: `peak RSS <= 200 MB at 1,000,000 records${rssGoalApplies ? '' : ` (this run: ${RECORDS.toLocaleString('en-US')} records; shown, judged only at 1,000,000+)`}`,
      target: 200,
      value: Math.round(first.peakRss / 1024 / 1024),
      met: rssGoalApplies ? first.peakRss <= 200 * 1024 * 1024 : null,
    },
    { goal: `counts: first run all created${second ? ', second run all unchanged' : ''}, no warnings`, target: true, value: countsRight, met: countsRight },
  ];
  const endLoad = os.loadavg();
  say('');
  say(`connector ${fmtRate(connectorRate)} | ${rerunRate === undefined ? 're-run not timed' : `re-run ${fmtRate(rerunRate)}`} | raw bulkWrite upserts ${fmtRate(rawRate)} | raw insertMany ${fmtRate(rawInsertRate)} | naive ${fmtRate(naiveRate)} (extrapolated from ${NAIVE_SAMPLE})`);
  say(`peak RSS during the first run: ${mb(first.peakRss)} sampled, ${mb(maxRssKb * 1024)} process max so far`);
  for (const g of goals) say(`  ${g.met === null ? 'n/a ' : g.met ? 'MET ' : 'MISS'}  ${g.goal}: ${typeof g.value === 'number' ? (Number.isInteger(g.value) ? g.value : g.value.toFixed(2)) : g.value}`);
  say(`load average at the end: ${endLoad.map((l) => l.toFixed(2)).join(' ')}`);
  say(
    JSON.stringify({
      bench: 'sync',
      records: RECORDS,
      pageSize: PAGE_SIZE,
      database: kind,
      connectorPerS: Math.round(connectorRate),
      rerunPerS: rerunRate === undefined ? null : Math.round(rerunRate),
      rawBulkUpsertPerS: Math.round(rawRate),
      rawBulkUpsertRecords: raw.records,
      rawInsertManyPerS: Math.round(rawInsertRate),
      naivePerS: Math.round(naiveRate),
      naiveSample: NAIVE_SAMPLE,
      peakRssMb: Math.round(first.peakRss / 1024 / 1024),
      loadAverage: { start: load, end: endLoad },
      goals,
    }),
  );
}

main()
  .then(async () => {
    await cleanup();
    process.exit(0);
  })
  .catch(async (error) => {
    process.stderr.write(`bench:sync could not run: ${(error as Error).stack ?? error}\n`);
    await cleanup();
    process.exit(1);
  });
