import type { Db } from 'mongodb';
import type { RunError, RunStatus } from '@/lib/domain/run';
import type { RunDoc } from '@/lib/runs/store';
import { collections } from '@/lib/store/collections';
import { deepFreeze, markedCache } from '@/lib/store/marked-cache';
import { isDuplicateKey } from '@/lib/write-errors';

/**
 * A connector's run figures, kept as runs start and finish so status and overview need no aggregation. They live in
 * `connectorStats` (`_id` = the connector's id), apart from the configuration, so a run does not make every process
 * read all connectors again.
 */
export interface ConnectorStats {
  totalRuns: number;
  lastRunId?: string;
  /** The last counted run as it ended (without its log), so status and overview need not look it up among all runs. */
  lastRun?: Omit<RunDoc, 'log'>;
  lastRunAt?: Date;
  /** When the latest run started; the minimum gap between runs is measured from it. */
  lastStartedAt?: Date;
  lastStatus?: RunStatus;
  lastSuccessAt?: Date;
  lastError?: RunError | null;
  consecutiveFailures: number;
  longestFailureStreak: number;
}

/** As stored: written by upserts, so a document may lack the counters until the first run that sets them. */
export type ConnectorStatsDoc = { _id: string } & Partial<ConnectorStats>;

export const emptyStats = (): ConnectorStats => ({ totalRuns: 0, consecutiveFailures: 0, longestFailureStreak: 0 });

const figures = collections.connectorStats;

const complete = ({ _id: _ignored, ...doc }: ConnectorStatsDoc): ConnectorStats => ({ ...emptyStats(), ...doc });

/**
 * Every connector's figures by connector id, read whole (one small document per connector: on the embedded FerretDB
 * one scan, cheaper than `$in`, which scans too) and kept while the `connector-stats-changed` marker holds — a cache
 * of its own, so runs never invalidate the connector list. For lists (overview, wall, status of all).
 */
const figuresList = markedCache('connector-stats-changed', async (db) => {
  const docs = await figures(db).find().toArray();
  // Each frozen: the map's values are not reached by freezing the map.
  return new Map(docs.map((doc) => [doc._id, deepFreeze(complete(doc))])) as ReadonlyMap<string, ConnectorStats>;
});

/** Tells every process that figures changed; for writes made past this module (the benches' seeding). */
export const noteFiguresChanged = (db: Db): Promise<void> => figuresList.note(db);

export async function listFigures({ db }: { db: Db }): Promise<ReadonlyMap<string, ConnectorStats>> {
  return figuresList.get(db);
}

/** One connector's figures as stored now (by `_id`, uncached): for decisions that must see the latest run. */
export async function getFigures({ db, connectorId }: { db: Db; connectorId: string }): Promise<ConnectorStats> {
  const doc = await figures(db).findOne({ _id: connectorId });
  return doc ? complete(doc) : emptyStats();
}

export async function deleteFigures({ db, connectorId }: { db: Db; connectorId: string }): Promise<void> {
  await figures(db).deleteOne({ _id: connectorId });
  await figuresList.note(db);
}

/** Notes when a run of the connector started (the minimum gap counts from it). */
export async function noteRunStarted({ db, connectorId, at }: { db: Db; connectorId: string; at: Date }): Promise<void> {
  await figures(db).updateOne({ _id: connectorId }, { $set: { lastStartedAt: at } }, { upsert: true });
  await figuresList.note(db);
}

/**
 * Folds one finished run into the connector's figures. Skips are records, not executions, and do not count;
 * a cancellation is counted but neither breaks nor extends a failure streak.
 */
export async function recordRunOutcome({
  db,
  connectorId,
  runId,
  status,
  at,
  error,
  run,
}: {
  db: Db;
  connectorId: string;
  runId: string;
  status: RunStatus;
  at: Date;
  error?: RunError;
  /** The run as it ended; kept with the figures (without its log) for status reads. */
  run?: Omit<RunDoc, 'log'> & { log?: unknown };
}): Promise<void> {
  if (status === 'skipped' || status === 'queued' || status === 'running') return;
  // Left-out fields stay out (the driver would store undefined as null).
  const snapshot = run ? (Object.fromEntries(Object.entries(run).filter(([key, value]) => key !== 'log' && value !== undefined)) as Omit<RunDoc, 'log'>) : undefined;
  const last = { lastRunId: runId, lastRunAt: at, lastStatus: status, ...(snapshot ? { lastRun: snapshot } : {}) };
  const col = figures(db);
  if (status === 'succeeded') {
    await col.updateOne({ _id: connectorId }, { $set: { ...last, lastSuccessAt: at, consecutiveFailures: 0, lastError: null }, $inc: { totalRuns: 1 } }, { upsert: true });
  } else if (status === 'cancelled') {
    await col.updateOne({ _id: connectorId }, { $set: last, $inc: { totalRuns: 1 } }, { upsert: true });
  } else {
    const after = await col.findOneAndUpdate(
      { _id: connectorId },
      { $set: { ...last, lastError: error ?? null }, $inc: { totalRuns: 1, consecutiveFailures: 1 } },
      // No projection: the embedded FerretDB does not support one on findAndModify.
      { returnDocument: 'after', upsert: true },
    );
    if (after) await col.updateOne({ _id: connectorId }, { $max: { longestFailureStreak: after.consecutiveFailures ?? 0 } });
  }
  await figuresList.note(db);
}

/**
 * Start-up: moves figures kept on connector documents (before they had a collection of their own) into
 * `connectorStats`, keeping figures already there, and removes them from the connectors. Safe to repeat; answers
 * how many connectors it changed (the caller notes the connectors changed when any were).
 */
export async function moveFiguresOffConnectors({ db }: { db: Db }): Promise<number> {
  const legacy = await collections.connectors<{ _id: string; stats?: ConnectorStats }>(db).find({ stats: { $exists: true } }, { projection: { stats: 1 } }).toArray();
  for (const { _id, stats } of legacy) {
    try {
      if (stats) await figures(db).insertOne({ ...stats, _id });
    } catch (error) {
      if (!isDuplicateKey(error)) throw error; // figures written since win: they are newer
    }
    await collections.connectors(db).updateOne({ _id }, { $unset: { stats: '' } });
  }
  if (legacy.length) await figuresList.note(db);
  return legacy.length;
}
