/**
 * `node --import tsx tools/bench/db-ops.ts`: the cost of each database round trip on the path from a slot to its
 * `sync:start`, on the embedded FerretDB, as the `runs` collection grows. A companion to bench:schedule that shows
 * where its lateness goes; it prints figures and asserts nothing.
 *
 * It starts its own embedded FerretDB on a temp dir (stopped at the end, on error and on Ctrl-C), fills it like
 * a busy installation (connectors, one pending slot job each, N finished runs with short logs), then times:
 * - one of each operation at a time (p50/p99 of `--reps`), for N = each value of `--runs`;
 * - `--burst` copies of the slot path's operations at once (what a minute boundary does), wall time and ops/s.
 *
 *   node --import tsx tools/bench/db-ops.ts [--connectors 200] [--runs 0,1000,5000] [--reps 40] [--burst 200] [--burst-at 0,1000]
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { MongoClient, ObjectId, type Db, type Document } from 'mongodb';
import { createLogger } from '../../lib/logger';
import { noteRunStarted } from '../../lib/connectors/figures';
import { connectors, getConnector } from '../../lib/connectors/store';
import { findActiveRun, getRun, insertRun, newRunDoc, runs, slotRunId, updateRun, ensureRunIndexes, type RunDoc } from '../../lib/runs/store';
import { getSchedulerState } from '../../lib/scheduling/state';
import { startEmbeddedDb, type LocalDatabase } from '../../server/embedded-db';
import { summarize, table, ms } from './stats';
import { collections } from '../../lib/store/collections';
import { SLOT_JOB } from '../../lib/scheduling/jobs';

const { values } = parseArgs({
  options: {
    connectors: { type: 'string', default: '200' },
    runs: { type: 'string', default: '0,1000,5000' },
    reps: { type: 'string', default: '40' },
    burst: { type: 'string', default: '200' },
    'burst-at': { type: 'string', default: '0,1000' },
  },
});
const CONNECTORS = Number(values.connectors);
const RUN_SIZES = values.runs!.split(',').map(Number);
const REPS = Number(values.reps);
const BURST = Number(values.burst);
/** The runs-collection sizes at which the burst is measured (it gets very slow on large ones). */
const BURST_AT = new Set(values['burst-at']!.split(',').map(Number));
if (![CONNECTORS, REPS, BURST, ...RUN_SIZES].every((n) => Number.isInteger(n) && n >= 0)) {
  process.stderr.write('usage: db-ops.ts [--connectors N] [--runs N,N,…] [--reps N] [--burst N] [--burst-at N,N,…]\n');
  process.exit(2);
}

let local: LocalDatabase | undefined;
let client: MongoClient | undefined;
let dataDir: string | undefined;
const cleanup = async () => {
  await client?.close().catch(() => undefined);
  await local?.stop().catch(() => undefined);
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
};
process.on('SIGINT', () => void cleanup().finally(() => process.exit(130)));
process.on('SIGTERM', () => void cleanup().finally(() => process.exit(143)));

const MINUTE = 60_000;
const ids = Array.from({ length: CONNECTORS }, (_, i) => `bench-s-${String(i + 1).padStart(4, '0')}`);
const connectorDoc = (id: string) => ({
  _id: id,
  name: `Bench ${id}`,
  description: '',
  kind: 'demo',
  config: { records: 1, pageSize: 1, pageDelayMs: 0, failureRate: 0, failureKinds: ['upstream'], churn: 0.05 },
  enabled: true,
  schedules: [{ id: 'm', type: 'interval' as const, enabled: true, everySeconds: 60 }],
  policies: { overlap: 'skip' as const, minGapSeconds: 0, timeoutSeconds: 3600, missedSlots: 'run-once' as const, catchUpGraceSeconds: 3600, retryAttempts: 0, retryBackoffSeconds: 30, retryMaxBackoffSeconds: 900 },
  createdAt: new Date(),
  updatedAt: new Date(),
});

/** A finished run like the bench's: five log lines, counts, times. */
function finishedRun(connectorId: string, slot: Date): RunDoc {
  const at = new Date(slot.getTime() + 300);
  return {
    ...newRunDoc({ _id: slotRunId(connectorId, 'm', slot), connectorId, scheduleId: 'm', slot, trigger: 'scheduled', initiatedBy: 'scheduler', status: 'succeeded' }),
    queuedAt: at,
    startedAt: at,
    finishedAt: at,
    durationMs: 20,
    instanceId: 'host-1-abcdef12',
    leaseUntil: at,
    counts: { fetched: 1, created: 0, updated: 0, unchanged: 1, skipped: 0, failed: 0 },
    progress: { done: 1, total: 1, phase: 'fetching' },
    log: ['scheduled run started by scheduler', 'fetching 1 records in 1 pages of 1', 'page 1/1: 0 created, 0 updated, 1 unchanged', 'done: 0 created, 0 updated, 1 unchanged'].map(
      (message) => ({ at, level: 'info' as const, message }),
    ),
  };
}

/** Agenda's getNextJobToRun (mongo backend 4.x), verbatim in shape. */
const lockNextSlotJob = (db: Db, processEveryMs: number) =>
  collections.agendaJobs(db).findOneAndUpdate(
    {
      name: SLOT_JOB,
      disabled: { $ne: true },
      $or: [{ lockedAt: { $eq: null }, nextRunAt: { $lte: new Date(Date.now() + processEveryMs) } }, { lockedAt: { $lte: new Date(Date.now() - 60_000) } }],
    },
    { $set: { lockedAt: new Date(), lastModifiedBy: 'bench' } },
    { returnDocument: 'after', sort: { nextRunAt: 1, priority: -1 } },
  );

/** The scheduler's #planSlot: a plain insert of the slot's job under an id derived from the slot (a duplicate when planned). */
const planSlot = (db: Db, connectorId: string, slot: Date) =>
  collections
    .agendaJobs<Document>(db)
    .insertOne({
      _id: new ObjectId(createHash('sha256').update(`${connectorId}\u0000m\u0000${slot.toISOString()}`).digest('hex').slice(0, 24)),
      name: SLOT_JOB,
      data: { connectorId, scheduleId: 'm', slot: slot.toISOString() },
      type: 'normal',
      priority: 0,
      nextRunAt: slot,
      lockedAt: null,
      lastModifiedBy: 'bench',
    })
    .catch((error) => {
      if ((error as { code?: number }).code !== 11000) throw error;
    });

async function time(reps: number, op: (i: number) => Promise<unknown>): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    await op(i);
    samples.push(performance.now() - t0);
  }
  return samples;
}

async function main() {
  const logger = createLogger({ level: 'warn' });
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'syncdeck-dbops-'));
  local = await startEmbeddedDb({ dataDir, logger });
  client = new MongoClient(local.uri, { directConnection: true, appName: 'syncdeck-db-ops' });
  await client.connect();
  const db = client.db('syncdeck');
  await ensureRunIndexes(db);
  await connectors(db).insertMany(ids.map(connectorDoc) as never);
  const future = new Date(Math.ceil(Date.now() / MINUTE) * MINUTE + 10 * MINUTE);
  for (const id of ids) await planSlot(db, id, future);

  const header = ['operation (one at a time, ms)', ...RUN_SIZES.flatMap((n) => [`p50 @${n}`, `p99 @${n}`])];
  const rows = new Map<string, string[]>();
  const add = (name: string, samples: number[]) => {
    const s = summarize(samples);
    rows.set(name, [...(rows.get(name) ?? []), ms(s.p50), ms(s.p99)]);
    process.stderr.write(`[db-ops]   ${name}: p50 ${ms(s.p50)} ms, p99 ${ms(s.p99)} ms\n`);
  };
  const bursts: Array<Array<string | number>> = [];
  let filled = 0;
  let serial = 0;
  const base = Math.floor(Date.now() / MINUTE) * MINUTE - 1000 * MINUTE;

  for (const size of RUN_SIZES) {
    // Grow the runs collection to `size` finished runs, spread over the connectors.
    while (filled < size) {
      const batch = Array.from({ length: Math.min(1000, size - filled) }, (_, k) => {
        const n = filled + k;
        return finishedRun(ids[n % ids.length]!, new Date(base + Math.floor(n / ids.length) * MINUTE));
      });
      await runs(db).insertMany(batch);
      filled += batch.length;
    }
    process.stderr.write(`[db-ops] runs collection: ${size} documents\n`);
    const pick = (i: number) => ids[i % ids.length]!;
    add('ping', await time(REPS, () => db.command({ ping: 1 })));
    add('Agenda: lock next slot job (none due)', await time(REPS, () => lockNextSlotJob(db, 2000)));
    add('getConnector (connectors by _id)', await time(REPS, (i) => getConnector({ db, id: pick(i) })));
    add('planSlot (agendaJobs insert, derived id)', await time(REPS, (i) => planSlot(db, pick(i), future)));
    add('getSchedulerState (settings by _id)', await time(REPS, () => getSchedulerState({ db })));
    add('getRun (runs by _id)', await time(REPS, (i) => getRun({ db, id: slotRunId(pick(i), 'm', new Date(base)) })));
    add('findActiveRun (liveRuns by connectorId)', await time(REPS, (i) => findActiveRun({ db, connectorId: pick(i) })));
    add('insertRun (runs insertOne)', await time(REPS, (i) => insertRun({ db, run: newRunDoc({ _id: `probe-${size}-${i}`, connectorId: pick(i), trigger: 'manual', initiatedBy: 'bench', status: 'queued' }) })));
    add('noteRunStarted (connectorStats upsert + marker)', await time(REPS, (i) => noteRunStarted({ db, connectorId: pick(i), at: new Date() })));
    add('updateRun (runs updateOne by _id)', await time(REPS, (i) => updateRun({ db, id: `probe-${size}-${i}`, set: { status: 'running', startedAt: new Date() } })));
    await runs(db).deleteMany({ _id: { $regex: /^probe-/ } } as never);

    if (!BURST_AT.has(size)) continue;
    // A minute boundary: every connector's slot path at once (without Agenda's own lock and save).
    const t0 = performance.now();
    let ops = 0;
    const done: number[] = [];
    const errors = new Map<string, number>();
    const step = async (op: () => Promise<unknown>) => {
      ops++;
      try {
        await op();
      } catch (error) {
        const message = (error as Error).message.replace(/\[[^\]]*\.go:\d+[^\]]*\]\s*/g, '');
        errors.set(message, (errors.get(message) ?? 0) + 1);
      }
    };
    await Promise.all(
      ids.slice(0, BURST).map(async (connectorId) => {
        const slot = new Date(base - ++serial * MINUTE);
        const runId = `burst-${slotRunId(connectorId, 'm', slot)}`;
        await step(() => getConnector({ db, id: connectorId }));
        await step(() => planSlot(db, connectorId, new Date(future.getTime() + serial * MINUTE)));
        await step(() => getSchedulerState({ db }));
        await step(() => findActiveRun({ db, connectorId }));
        await step(() => insertRun({ db, run: newRunDoc({ _id: runId, connectorId, trigger: 'scheduled', initiatedBy: 'bench', status: 'queued' }) }));
        await step(() => noteRunStarted({ db, connectorId, at: new Date() }));
        await step(() => updateRun({ db, id: runId, set: { status: 'running', startedAt: new Date() } }));
        done.push(performance.now() - t0);
      }),
    );
    const wall = performance.now() - t0;
    const d = summarize(done);
    process.stderr.write(`[db-ops]   burst of ${Math.min(BURST, ids.length)} slot paths: wall ${ms(wall)} ms, p50 ${ms(d.p50)} ms, errors ${[...errors].map(([m, n]) => `${n}x ${m}`).join('; ') || 0}\n`);
    bursts.push([`${size}`, Math.min(BURST, ids.length), ms(d.p50), ms(d.p99), ms(wall), Math.round((ops / wall) * 1000), [...errors].map(([m, n]) => `${n}x ${m}`).join('; ') || 0]);
    await runs(db).deleteMany({ _id: { $regex: /^burst-/ } } as never);
    await collections.agendaJobs(db).deleteMany({ nextRunAt: { $gt: future } });
  }

  process.stdout.write(`\nDatabase round trips on the embedded FerretDB (${CONNECTORS} connectors and slot jobs; ${os.cpus().length} CPUs, load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')})\n`);
  process.stdout.write(`${table(header, [...rows].map(([name, cells]) => [name, ...cells]))}\n`);
  process.stdout.write(`\nA minute boundary: the slot path's 7 round trips for ${Math.min(BURST, ids.length)} connectors at once\n`);
  process.stdout.write(`${table(['runs in collection', 'paths', 'done p50 ms', 'done p99 ms', 'wall ms', 'ops/s', 'errors'], bursts)}\n\n`);
}

main()
  .catch((error) => {
    process.stderr.write(`db-ops failed: ${(error as Error).stack ?? error}\n`);
    process.exitCode = 1;
  })
  .finally(() => cleanup().then(() => process.exit(process.exitCode ?? 0)));
