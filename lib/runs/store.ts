import type { Db, Filter } from 'mongodb';
import { emptyCounts, type LogLevel, type RunCounts, type RunError, type RunStatus, type RunTrigger } from '@/lib/realtime/events';

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
  /** Retries: 1 for the first attempt, then 2, 3, …; every attempt links to the first. */
  attempt?: number;
  firstRunId?: string;
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
  notBefore?: string;
  waitingFor?: string;
  instanceId?: string;
  log?: Array<{ at: string; level: LogLevel; message: string }>;
}

export const runs = (db: Db) => db.collection<RunDoc>('runs');

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
    notBefore: doc.notBefore?.toISOString(),
    waitingFor: doc.waitingFor,
    instanceId: doc.instanceId,
    ...(withLog ? { log: doc.log.map((l) => ({ ...l, at: l.at.toISOString() })) } : {}),
  };
}

export async function ensureRunIndexes(db: Db): Promise<void> {
  await runs(db).createIndex({ connectorId: 1, queuedAt: -1 }, { name: 'connector_recent' });
  await runs(db).createIndex({ queuedAt: -1 }, { name: 'recent' });
  await runs(db).createIndex({ status: 1, leaseUntil: 1 }, { name: 'status_lease' });
  await runs(db).createIndex({ connectorId: 1, status: 1 }, { name: 'connector_status' });
  await runs(db).createIndex({ status: 1, queuedAt: -1 }, { name: 'status_recent' });
}

/** The deterministic id of a scheduled slot's run: a second claimant gets a duplicate-key error. */
export const slotRunId = (connectorId: string, scheduleId: string, slot: Date) => `${connectorId}:${scheduleId}:${slot.toISOString()}`;

export function newRunDoc(fields: Pick<RunDoc, '_id' | 'connectorId' | 'trigger' | 'initiatedBy' | 'status'> & Partial<RunDoc>): RunDoc {
  // Fields left undefined are left out: the driver would store them as null, and null "exists" in queries.
  const defined = Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as typeof fields;
  return { queuedAt: new Date(), counts: emptyCounts(), log: [], ...defined };
}

/** Inserts a run; resolves false when a run with that id exists already (the slot was claimed elsewhere). */
export async function insertRun({ db, run }: { db: Db; run: RunDoc }): Promise<boolean> {
  try {
    await runs(db).insertOne(run);
    return true;
  } catch (error) {
    if ((error as { code?: number }).code === 11000) return false;
    throw error;
  }
}

export async function getRun({ db, id }: { db: Db; id: string }): Promise<RunDoc | null> {
  return runs(db).findOne({ _id: id });
}

/**
 * The filter of a connector's runs that are going: running, or queued and due. A retry waiting out its backoff
 * (`notBefore` ahead) and a run queued behind another (no `notBefore` until released) are not going yet.
 */
export function activeRunFilter(connectorId: string, now = new Date()): Filter<RunDoc> {
  return { connectorId, $or: [{ status: 'running' }, { status: 'queued', notBefore: { $lte: now } }] };
}

/** The run of a connector that is going now, preferring a running one over one queued to start. */
export async function findActiveRun({ db, connectorId }: { db: Db; connectorId: string }): Promise<RunDoc | null> {
  const going = await runs(db).find(activeRunFilter(connectorId), { projection: { log: 0 } }).sort({ queuedAt: -1 }).limit(5).toArray();
  return going.find((r) => r.status === 'running') ?? going[0] ?? null;
}

export async function updateRun({ db, id, set }: { db: Db; id: string; set: Partial<RunDoc> }): Promise<void> {
  await runs(db).updateOne({ _id: id }, { $set: set });
}

export interface RunQuery {
  connectorId?: string;
  status?: RunStatus;
  trigger?: RunTrigger;
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

/**
 * Marks runs whose lease ran out (their process died) as interrupted, and returns them so their connectors'
 * figures and listeners can be told. Safe to call from every instance: each run is flipped once.
 */
export async function interruptExpiredRuns({ db, now }: { db: Db; now: Date }): Promise<RunDoc[]> {
  // A run waiting behind another has no lease of its own (no notBefore yet); upkeep releases it when that one ends.
  // Two plain equality queries, the lease compared here: the embedded FerretDB can answer `status` equality from
  // its index but reads every run for an `$or` or a range, and upkeep asks every few seconds. Few runs are live.
  const live = [...(await runs(db).find({ status: 'running' }).toArray()), ...(await runs(db).find({ status: 'queued' }).toArray())];
  const expired = live.filter((r) => r.leaseUntil && r.leaseUntil < now && (r.status === 'running' || r.notBefore));
  const flipped: RunDoc[] = [];
  for (const run of expired) {
    const finishedAt = now;
    const durationMs = run.startedAt ? finishedAt.getTime() - run.startedAt.getTime() : 0;
    const error: RunError = { kind: 'interrupted', message: `the server process running it (${run.instanceId ?? 'unknown'}) stopped responding` };
    const result = await runs(db).updateOne(
      { _id: run._id, status: run.status, leaseUntil: run.leaseUntil },
      { $set: { status: 'interrupted', finishedAt, durationMs, error } },
    );
    if (result.modifiedCount === 1) flipped.push({ ...run, status: 'interrupted', finishedAt, durationMs, error });
  }
  return flipped;
}
