import { MongoBulkWriteError, type Db, type Filter } from 'mongodb';
import { DUPLICATE_KEY, isDuplicateKey, writeErrorsOf } from '@/lib/write-errors';
import { emptyCounts, type LogLevel, type RunCounts, type RunError, type RunStatus, type RunTrigger } from '@/lib/domain/run';
import { collections } from '@/lib/store/collections';

/** Runs keep the last lines of their log; older lines are dropped. */
export const RUN_LOG_LIMIT = 200;

export interface LogLine {
  at: Date;
  level: LogLevel;
  message: string;
}

export interface RunDoc {
  /** Scheduled runs: `<connector>:<schedule>:<slot ISO>`, unique by construction. Others: `<connector>:<kind>:<id>`. */
  _id: string;
  connectorId: string;
  scheduleId?: string;
  slot?: Date;
  trigger: RunTrigger;
  /** User email, `token:<name>`, or `scheduler`. */
  initiatedBy: string;
  status: RunStatus;
  queuedAt: Date;
  startedAt?: Date;
  finishedAt?: Date;
  durationMs?: number;
  counts: RunCounts;
  progress?: { done: number; total?: number; phase?: string };
  error?: RunError;
  /** Why a run was skipped or superseded. */
  reason?: string;
  /**
   * Retries and re-runs: 1 for the first attempt, then 2, 3, …; every attempt links to the first and keeps its
   * connector, schedule and slot.
   */
  attempt?: number;
  firstRunId?: string;
  /** A re-run after a crash (`<interrupted run id>~rerun`): the run it repeats, interrupted when its process died. */
  rerunOf?: string;
  /**
   * A queued run starts no sooner than this: now for manual and scheduled runs, later for a retry waiting out its
   * backoff, unset while a run waits behind another (overlap policy queue-one) until that one ends.
   */
  notBefore?: Date;
  /** A queued run that waits for this run to end (overlap policy queue-one). */
  waitingFor?: string;
  cancelledBy?: string;
  /** Set when someone cancels a run that another instance is running; that instance honours it. */
  cancelRequestedBy?: string;
  log: LogLine[];
  /** The server process that ran it, and until when its lease holds. */
  instanceId?: string;
  leaseUntil?: Date;
}

/** A run as the API shows it; the log only on the detail view. */
export interface Run {
  id: string;
  connectorId: string;
  scheduleId?: string;
  slot?: string;
  trigger: RunTrigger;
  initiatedBy: string;
  status: RunStatus;
  queuedAt: string;
  startedAt?: string;
  finishedAt?: string;
  durationMs?: number;
  counts: RunCounts;
  progress?: { done: number; total?: number; phase?: string };
  error?: RunError;
  reason?: string;
  cancelledBy?: string;
  attempt?: number;
  firstRunId?: string;
  rerunOf?: string;
  notBefore?: string;
  waitingFor?: string;
  instanceId?: string;
  log?: Array<{ at: string; level: LogLevel; message: string }>;
}

export const runs = collections.runs;

/** A run that is queued or running, as mirrored in `liveRuns` (without its log). */
export type LiveRunDoc = Omit<RunDoc, 'log'>;

/**
 * The runs that are queued or running, each a copy of its record without the log, kept by the functions below and
 * removed when the run ends. Questions about what is going now ("is this connector running?", "whose lease ran out?",
 * the overview's live rows) are asked here: a handful of documents, whatever the size of the history. The embedded
 * FerretDB answers any query other than a lookup by `_id` by reading every document of the collection, so asking
 * them of `runs` would cost a read of the whole history each time.
 */
export const liveRuns = collections.liveRuns;

const isLive = (status: RunStatus) => status === 'queued' || status === 'running';
const withoutLog = ({ log: _log, ...rest }: Partial<RunDoc>) => rest;

export function toRun(doc: RunDoc, withLog = false): Run {
  return {
    id: doc._id,
    connectorId: doc.connectorId,
    scheduleId: doc.scheduleId,
    slot: doc.slot?.toISOString(),
    trigger: doc.trigger,
    initiatedBy: doc.initiatedBy,
    status: doc.status,
    queuedAt: doc.queuedAt.toISOString(),
    startedAt: doc.startedAt?.toISOString(),
    finishedAt: doc.finishedAt?.toISOString(),
    durationMs: doc.durationMs,
    counts: doc.counts,
    progress: doc.progress,
    error: doc.error,
    reason: doc.reason,
    cancelledBy: doc.cancelledBy,
    attempt: doc.attempt,
    firstRunId: doc.firstRunId,
    rerunOf: doc.rerunOf,
    notBefore: doc.notBefore?.toISOString(),
    waitingFor: doc.waitingFor,
    instanceId: doc.instanceId,
    ...(withLog ? { log: doc.log.map((l) => ({ ...l, at: l.at.toISOString() })) } : {}),
  };
}

export async function ensureRunIndexes(db: Db): Promise<void> {
  await runs(db).createIndex({ connectorId: 1, queuedAt: -1 }, { name: 'connector_recent' });
  await runs(db).createIndex({ queuedAt: -1 }, { name: 'recent' });
  await runs(db).createIndex({ status: 1, queuedAt: -1 }, { name: 'status_recent' });
  await liveRuns(db).createIndex({ connectorId: 1 }, { name: 'connector' });
}

/** The deterministic id of a scheduled slot's run: a second claimant gets a duplicate-key error. */
export const slotRunId = (connectorId: string, scheduleId: string, slot: Date) => `${connectorId}:${scheduleId}:${slot.toISOString()}`;

export function newRunDoc(fields: Pick<RunDoc, '_id' | 'connectorId' | 'trigger' | 'initiatedBy' | 'status'> & Partial<RunDoc>): RunDoc {
  // Fields left undefined are left out: the driver would store them as null, and null "exists" in queries.
  const defined = Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as typeof fields;
  return { queuedAt: new Date(), counts: emptyCounts(), log: [], ...defined };
}

/**
 * Inserts a run; resolves false when a run with that id exists already (the slot was claimed elsewhere). The run's
 * record is the claim; a queued or running run is then mirrored in `liveRuns`.
 */
export async function insertRun({ db, run }: { db: Db; run: RunDoc }): Promise<boolean> {
  return (await insertRuns({ db, runs: [run] })).length === 1;
}

/**
 * Inserts runs in one write and resolves those that were inserted: a run whose id exists already was claimed
 * elsewhere (a duplicate key). When no refusal is a duplicate key the error is thrown; when some are, the other
 * refused runs are left out as well (their slots' jobs decide them later). A minute boundary claims its slots this
 * way: one write, not one per slot.
 */
export async function insertRuns({ db, runs: docs }: { db: Db; runs: RunDoc[] }): Promise<RunDoc[]> {
  if (!docs.length) return [];
  let refused = new Set<number>();
  try {
    await runs(db).insertMany(docs, { ordered: false });
  } catch (error) {
    // A lone duplicate outside a bulk error stands for the first run (insertMany reports bulk errors, as a rule).
    const list = error instanceof MongoBulkWriteError ? writeErrorsOf(error) : isDuplicateKey(error) ? [{ index: 0, code: DUPLICATE_KEY }] : [];
    if (!list.some((e) => e.code === DUPLICATE_KEY)) throw error;
    refused = new Set(list.map((e) => e.index));
  }
  const inserted = docs.filter((_, i) => !refused.has(i));
  const live = inserted.filter((r) => isLive(r.status)).map((r) => withoutLog(r) as LiveRunDoc);
  if (live.length) {
    // A copy that exists already was restored by reconciliation; any other refusal is an error.
    await liveRuns(db)
      .insertMany(live, { ordered: false })
      .catch((error) => {
        const onlyDuplicates = error instanceof MongoBulkWriteError ? writeErrorsOf(error).every((e) => e.code === DUPLICATE_KEY) : isDuplicateKey(error);
        if (!onlyDuplicates) throw error;
      });
  }
  return inserted;
}

export async function getRun({ db, id }: { db: Db; id: string }): Promise<RunDoc | null> {
  return runs(db).findOne({ _id: id });
}

/** Every queued or running run (of one connector), newest first. */
export async function findLiveRuns({ db, connectorId }: { db: Db; connectorId?: string }): Promise<LiveRunDoc[]> {
  const live = await liveRuns(db).find(connectorId ? { connectorId } : {}).toArray();
  return live.sort((a, b) => b.queuedAt.getTime() - a.queuedAt.getTime());
}

/**
 * Whether a run is going: running, or queued and due. A retry waiting out its backoff (`notBefore` ahead) and a run
 * queued behind another (no `notBefore` until released) are not going yet.
 */
const isGoing = (run: Pick<RunDoc, 'status' | 'notBefore'>, now = new Date()) =>
  run.status === 'running' || (run.status === 'queued' && run.notBefore !== undefined && run.notBefore !== null && run.notBefore <= now);

/** Among a connector's live runs (newest first), the one going now, preferring a running one over one queued to start. */
export function activeAmong(live: readonly LiveRunDoc[], now = new Date()): LiveRunDoc | null {
  return live.find((r) => r.status === 'running') ?? live.find((r) => isGoing(r, now)) ?? null;
}

/** The run of a connector that is going now, preferring a running one over one queued to start. */
export async function findActiveRun({ db, connectorId }: { db: Db; connectorId: string }): Promise<LiveRunDoc | null> {
  return activeAmong(await findLiveRuns({ db, connectorId }));
}

/**
 * Updates a run by id, and its live copy: a run that ends leaves `liveRuns`. With `ifStatus`, only a record in that
 * status is changed; resolves whether the record was.
 */
export async function updateRun({ db, id, set, ifStatus }: { db: Db; id: string; set: Partial<RunDoc>; ifStatus?: RunStatus }): Promise<boolean> {
  const { matchedCount } = await runs(db).updateOne(ifStatus ? { _id: id, status: ifStatus } : { _id: id }, { $set: set });
  if (ifStatus && matchedCount === 0) return false;
  const copied = withoutLog(set);
  if (set.status && !isLive(set.status)) await liveRuns(db).deleteOne({ _id: id });
  else if (Object.keys(copied).length) await liveRuns(db).updateOne({ _id: id }, { $set: copied });
  return matchedCount > 0;
}

/**
 * Brings `liveRuns` in line with the records: adds queued and running runs it lacks (a process that died between
 * claiming a run and mirroring it; an installation from before the mirror) and drops copies of runs that ended.
 * Each change is checked against the run's record first, as runs start and end meanwhile. Reads the whole history
 * on the embedded FerretDB, so it runs once per start.
 */
export async function reconcileLiveRuns({ db }: { db: Db }): Promise<{ added: number; removed: number }> {
  const candidates = [
    ...(await runs(db).find({ status: 'running' }, { projection: { _id: 1 } }).toArray()),
    ...(await runs(db).find({ status: 'queued' }, { projection: { _id: 1 } }).toArray()),
  ];
  let added = 0;
  let removed = 0;
  for (const { _id } of candidates) {
    const record = await runs(db).findOne({ _id }, { projection: { log: 0 } });
    if (!record || !isLive(record.status)) continue;
    added += (await liveRuns(db).updateOne({ _id }, { $setOnInsert: record }, { upsert: true })).upsertedCount;
  }
  for (const { _id } of await liveRuns(db).find({}, { projection: { _id: 1 } }).toArray()) {
    const record = await runs(db).findOne({ _id }, { projection: { status: 1 } });
    if (!record || !isLive(record.status)) removed += (await liveRuns(db).deleteOne({ _id })).deletedCount;
  }
  return { added, removed };
}

export interface RunQuery {
  connectorId?: string;
  status?: RunStatus;
  trigger?: RunTrigger;
  /** Only runs queued at or after this ISO date-time. */
  after?: string;
  /** Cursor from a previous page (`<queuedAt ISO>~<run id>`) or an ISO date-time. */
  before?: string;
  limit: number;
}

/** Decodes a `before` cursor into its time and optional run id. */
export function parseCursor(before: string): { at: Date; id?: string } | null {
  const [iso, id] = before.split('~', 2);
  const at = new Date(iso ?? '');
  return Number.isNaN(at.getTime()) ? null : { at, id: id || undefined };
}

/** Newest first; answers one page and the cursor of the next, if any. */
export async function listRuns({ db, query }: { db: Db; query: RunQuery }): Promise<{ runs: RunDoc[]; next: string | null }> {
  const filter: Filter<RunDoc> = {};
  if (query.connectorId) filter.connectorId = query.connectorId;
  if (query.status) filter.status = query.status;
  if (query.trigger) filter.trigger = query.trigger;
  if (query.after) filter.queuedAt = { $gte: new Date(query.after) };
  const cursor = query.before ? parseCursor(query.before) : null;
  if (cursor) {
    filter.$or = cursor.id
      ? [{ queuedAt: { $lt: cursor.at } }, { queuedAt: cursor.at, _id: { $lt: cursor.id } }]
      : [{ queuedAt: { $lt: cursor.at } }];
  }
  const page = await runs(db)
    .find(filter, { projection: { log: 0 } })
    .sort({ queuedAt: -1, _id: -1 })
    .limit(query.limit + 1)
    .toArray();
  const more = page.length > query.limit;
  const items = more ? page.slice(0, query.limit) : page;
  const last = items.at(-1);
  return { runs: items.map((r) => ({ ...r, log: [] })), next: more && last ? `${last.queuedAt.toISOString()}~${last._id}` : null };
}

/** The deterministic id of the one re-run of a run interrupted by a crash: a second claimant gets a duplicate key. */
export const rerunId = (runId: string) => `${runId}~rerun`;

/**
 * Marks runs whose process died as interrupted — their lease ran out, or `isDead` knows their instance is gone (a
 * process of this host that no longer exists) — and returns them so their connectors' figures and listeners can be
 * told and they can be run again. Safe to call from every instance: each run is flipped once.
 */
export async function interruptExpiredRuns({ db, now, isDead }: { db: Db; now: Date; isDead?: (instanceId: string) => boolean }): Promise<LiveRunDoc[]> {
  const dead = new Map<string, boolean>();
  const gone = (instanceId?: string) => {
    if (!instanceId || !isDead) return false;
    if (!dead.has(instanceId)) dead.set(instanceId, isDead(instanceId));
    return dead.get(instanceId)!;
  };
  // A run waiting behind another has no lease of its own (no notBefore yet); upkeep releases it when that one ends.
  const expired = (await findLiveRuns({ db })).filter(
    (r) => r.leaseUntil && (r.leaseUntil < now || gone(r.instanceId)) && (r.status === 'running' || r.notBefore),
  );
  const flipped: LiveRunDoc[] = [];
  for (const run of expired) {
    // Removing the live copy as it was read is the flip: of instances doing this at once, one removes it.
    const taken = await liveRuns(db).deleteOne({ _id: run._id, status: run.status, leaseUntil: run.leaseUntil });
    if (taken.deletedCount !== 1) continue;
    // A copy outliving its run (it ended as the copy was being restored) only needed removing.
    const record = await runs(db).findOne({ _id: run._id }, { projection: { status: 1 } });
    if (!record || !isLive(record.status)) continue;
    const finishedAt = now;
    const durationMs = run.startedAt ? finishedAt.getTime() - run.startedAt.getTime() : 0;
    const error: RunError = {
      kind: 'interrupted',
      message: gone(run.instanceId) ? `the server process running it (${run.instanceId}) is gone` : `the server process running it (${run.instanceId ?? 'unknown'}) stopped responding`,
    };
    await runs(db).updateOne({ _id: run._id }, { $set: { status: 'interrupted', finishedAt, durationMs, error } });
    flipped.push({ ...run, status: 'interrupted', finishedAt, durationMs, error });
  }
  return flipped;
}
