import type { Db } from 'mongodb';
import type { RunError, RunStatus } from '@/lib/realtime/events';
import type { Schedule } from '@/lib/scheduling/schedule';
import { getConnectorKind } from './registry';
import { newConnectorSchema, type ConnectorPatch, type NewConnector, type Policies } from './schema';

/** Figures kept on the connector as runs finish, so status and overview need no aggregation. */
export interface ConnectorStats {
  totalRuns: number;
  lastRunId?: string;
  lastRunAt?: Date;
  /** When the latest run started; the minimum gap between runs is measured from it. */
  lastStartedAt?: Date;
  lastStatus?: RunStatus;
  lastSuccessAt?: Date;
  lastError?: RunError | null;
  consecutiveFailures: number;
  longestFailureStreak: number;
}

export interface ConnectorDoc {
  _id: string;
  name: string;
  description: string;
  kind: string;
  config: Record<string, unknown>;
  /** Automatic (scheduled) runs; manual runs are always allowed. */
  enabled: boolean;
  schedules: Schedule[];
  policies: Policies;
  stats: ConnectorStats;
  createdAt: Date;
  updatedAt: Date;
}

/** A connector as the API shows it. */
export interface Connector {
  id: string;
  name: string;
  description: string;
  kind: string;
  config: Record<string, unknown>;
  enabled: boolean;
  schedules: Schedule[];
  policies: Policies;
  createdAt: string;
  updatedAt: string;
}

export class ConnectorExistsError extends Error {
  override name = 'ConnectorExistsError';
}

/** A policy change that contradicts a policy kept from before. */
export class PolicyConflictError extends Error {
  override name = 'PolicyConflictError';
}

export const connectors = (db: Db) => db.collection<ConnectorDoc>('connectors');

export function toConnector(doc: ConnectorDoc): Connector {
  return {
    id: doc._id,
    name: doc.name,
    description: doc.description,
    kind: doc.kind,
    config: doc.config,
    enabled: doc.enabled,
    schedules: doc.schedules,
    policies: doc.policies,
    createdAt: doc.createdAt.toISOString(),
    updatedAt: doc.updatedAt.toISOString(),
  };
}

export const emptyStats = (): ConnectorStats => ({ totalRuns: 0, consecutiveFailures: 0, longestFailureStreak: 0 });

export async function listConnectors({ db }: { db: Db }): Promise<ConnectorDoc[]> {
  return connectors(db).find().sort({ name: 1, _id: 1 }).toArray();
}

export async function getConnector({ db, id }: { db: Db; id: string }): Promise<ConnectorDoc | null> {
  return connectors(db).findOne({ _id: id });
}

/** Creates a connector from validated input; throws {@link ConnectorExistsError} when the id is taken. */
export async function createConnector({ db, input }: { db: Db; input: NewConnector }): Promise<ConnectorDoc> {
  const { id, ...fields } = newConnectorSchema.parse(input);
  const now = new Date();
  const doc: ConnectorDoc = { _id: id, ...fields, stats: emptyStats(), createdAt: now, updatedAt: now };
  try {
    await connectors(db).insertOne(doc);
  } catch (error) {
    if ((error as { code?: number }).code === 11000) throw new ConnectorExistsError(`a connector with id ${id} already exists`);
    throw error;
  }
  return doc;
}

/** Applies a validated patch; a new `config` is checked against the connector's kind. Returns null when absent. */
export async function updateConnector({ db, id, patch }: { db: Db; id: string; patch: ConnectorPatch }): Promise<ConnectorDoc | null> {
  const { policies, ...fields } = patch;
  const set: Record<string, unknown> = { ...fields, updatedAt: new Date() };
  // Policies merge field by field; the rest of the patch replaces whole fields.
  for (const [key, value] of Object.entries(policies ?? {})) set[`policies.${key}`] = value;
  if (policies) {
    const current = await getConnector({ db, id });
    const base = current?.policies.retryBackoffSeconds ?? 0;
    const max = current?.policies.retryMaxBackoffSeconds ?? Infinity;
    if ((policies.retryBackoffSeconds ?? base) > (policies.retryMaxBackoffSeconds ?? max)) {
      throw new PolicyConflictError('policies.retryMaxBackoffSeconds: must not be smaller than retryBackoffSeconds');
    }
  }
  if (patch.config) {
    const current = await getConnector({ db, id });
    if (!current) return null;
    set.config = getConnectorKind(current.kind)!.configSchema.parse(patch.config) as Record<string, unknown>;
  }
  return connectors(db).findOneAndUpdate({ _id: id }, { $set: set }, { returnDocument: 'after' });
}

export async function deleteConnector({ db, id }: { db: Db; id: string }): Promise<boolean> {
  return (await connectors(db).deleteOne({ _id: id })).deletedCount === 1;
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
}: {
  db: Db;
  connectorId: string;
  runId: string;
  status: RunStatus;
  at: Date;
  error?: RunError;
}): Promise<void> {
  if (status === 'skipped' || status === 'queued' || status === 'running') return;
  const last = { 'stats.lastRunId': runId, 'stats.lastRunAt': at, 'stats.lastStatus': status };
  const col = connectors(db);
  if (status === 'succeeded') {
    await col.updateOne(
      { _id: connectorId },
      { $set: { ...last, 'stats.lastSuccessAt': at, 'stats.consecutiveFailures': 0, 'stats.lastError': null }, $inc: { 'stats.totalRuns': 1 } },
    );
  } else if (status === 'cancelled') {
    await col.updateOne({ _id: connectorId }, { $set: last, $inc: { 'stats.totalRuns': 1 } });
  } else {
    const after = await col.findOneAndUpdate(
      { _id: connectorId },
      { $set: { ...last, 'stats.lastError': error ?? null }, $inc: { 'stats.totalRuns': 1, 'stats.consecutiveFailures': 1 } },
      // No projection: the embedded FerretDB does not support one on findAndModify.
      { returnDocument: 'after' },
    );
    if (after) await col.updateOne({ _id: connectorId }, { $max: { 'stats.longestFailureStreak': after.stats.consecutiveFailures } });
  }
}
