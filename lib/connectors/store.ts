import { ObjectId, type Db } from 'mongodb';
import { isDuplicateKey } from '@/lib/write-errors';
import type { FieldError } from '@/lib/api/errors';
import type { RunError, RunStatus } from '@/lib/domain/run';
import type { RunDoc } from '@/lib/runs/store';
import type { IntervalBounds, Schedule } from '@/lib/scheduling/schedule';
import type { Keyring } from '@/lib/secrets/keyring';
import { deleteCheckpoint } from './checkpoint';
import { getConnectorKind } from './registry';
import { connectorSchemasFor, defaultPolicies, type ConnectorPatch, type NewConnector, type Policies } from './schema';
import { checkSecrets, encryptSecrets, toSecretsView, type SecretsView, type StoredSecrets } from './secrets';
import { collections } from '@/lib/store/collections';

/** Figures kept on the connector as runs finish, so status and overview need no aggregation. */
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

export interface ConnectorDoc {
  _id: string;
  name: string;
  description: string;
  kind: string;
  config: Record<string, unknown>;
  /** Encrypted secret values by name (absent on connectors that have none). */
  secrets?: StoredSecrets;
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
  /** Which secrets are set and when; never their values. */
  secrets: SecretsView;
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

/** A change the connector's kind rejects (config or secrets), with the fields and rules. */
export class ConnectorValidationError extends Error {
  override name = 'ConnectorValidationError';
  constructor(readonly fields: FieldError[]) {
    super(fields.map((f) => `${f.path}: ${f.message}`).join('; '));
  }
}

export const connectors = collections.connectors;

export function toConnector(doc: ConnectorDoc): Connector {
  return {
    id: doc._id,
    name: doc.name,
    description: doc.description,
    kind: doc.kind,
    config: doc.config,
    secrets: toSecretsView(doc.secrets),
    enabled: doc.enabled,
    schedules: doc.schedules,
    policies: { ...defaultPolicies, ...doc.policies },
    createdAt: doc.createdAt.toISOString(),
    updatedAt: doc.updatedAt.toISOString(),
  };
}

export const emptyStats = (): ConnectorStats => ({ totalRuns: 0, consecutiveFailures: 0, longestFailureStreak: 0 });

/**
 * Every write to a connector document is followed by a new value of this marker (by `noteConnectorsChanged`), so a
 * process that read all connectors can tell, with one lookup by `_id`, whether what it read still holds.
 */
const CHANGE_MARKER = 'connectors-changed';
const markers = (db: Db) => collections.settings<{ _id: string; rev: string; at: Date }>(db);

/** Tells every process that connectors changed; call it after the write has landed. */
export async function noteConnectorsChanged(db: Db): Promise<void> {
  await markers(db).updateOne({ _id: CHANGE_MARKER }, { $set: { rev: new ObjectId().toHexString(), at: new Date() } }, { upsert: true });
}

/** Reused this long at most even when no change was noted (a process that died between a write and its note). */
const LIST_CACHE_MAX_AGE_MS = 30_000;
const listCache = new WeakMap<Db, { rev: string; at: number; docs: readonly ConnectorDoc[] }>();
/** The full read in progress and the marker it was started under: callers that find the same marker share it. */
const listReads = new WeakMap<Db, { rev: string; read: Promise<readonly ConnectorDoc[]> }>();

/** Freezes a document and everything in it (Dates included: their setters still work, so they are left as they are). */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !(value instanceof Date) && !Object.isFrozen(value)) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/**
 * Every connector, by name. The embedded FerretDB reads and decodes every document for this (about 0.4 s for 500
 * connectors), and the overview, the slot clock and the runs page all ask for it, so the last answer is kept and
 * reused while the change marker says nothing was written since.
 *
 * The documents are shared by every caller and frozen (copying 500 of them cost the overview about 10 ms a
 * request): a caller that wants to change one works on a copy of its own. The array is the caller's.
 *
 * While runs start and end, every call finds a new marker; calls that find the one a read in progress was started
 * under wait for that read instead of starting their own (on a busy minute the overview, the slot clock and the runs
 * page would otherwise each read every connector at once).
 */
export async function listConnectors({ db }: { db: Db }): Promise<ConnectorDoc[]> {
  let marker = await markers(db).findOne({ _id: CHANGE_MARKER });
  if (!marker) {
    await noteConnectorsChanged(db);
    marker = await markers(db).findOne({ _id: CHANGE_MARKER });
  }
  const cached = listCache.get(db);
  if (cached && marker && cached.rev === marker.rev && Date.now() - cached.at < LIST_CACHE_MAX_AGE_MS) return [...cached.docs];
  const inProgress = listReads.get(db);
  if (marker && inProgress?.rev === marker.rev) return [...(await inProgress.read)];
  // Read after the marker: a write landing meanwhile leaves a newer marker, so the next call reads again.
  const read = connectors(db)
    .find()
    .sort({ name: 1, _id: 1 })
    .toArray()
    .then((docs): readonly ConnectorDoc[] => deepFreeze(docs));
  if (marker) listReads.set(db, { rev: marker.rev, read });
  try {
    const docs = await read;
    if (marker) listCache.set(db, { rev: marker.rev, at: Date.now(), docs });
    return [...docs];
  } finally {
    if (listReads.get(db)?.read === read) listReads.delete(db);
  }
}

/** Notes when a run of the connector started (the minimum gap counts from it). */
export async function noteRunStarted({ db, connectorId, at }: { db: Db; connectorId: string; at: Date }): Promise<void> {
  await connectors(db).updateOne({ _id: connectorId }, { $set: { 'stats.lastStartedAt': at } });
  await noteConnectorsChanged(db);
}

export async function getConnector({ db, id }: { db: Db; id: string }): Promise<ConnectorDoc | null> {
  return connectors(db).findOne({ _id: id });
}

/**
 * Creates a connector from validated input (schedules within `intervalBounds`, the defaults when omitted), its
 * secrets encrypted with `keyring` (needed only when it has secrets);
 * throws {@link ConnectorExistsError} when the id is taken.
 */
export async function createConnector({ db, input, keyring, intervalBounds }: { db: Db; input: NewConnector; keyring?: Keyring; intervalBounds?: IntervalBounds }): Promise<ConnectorDoc> {
  const { id, secrets, ...fields } = connectorSchemasFor(intervalBounds).create.parse(input);
  const now = new Date();
  const hasSecrets = Object.keys(secrets).length > 0;
  if (hasSecrets && !keyring) throw new Error('createConnector: secrets given without a keyring');
  const doc: ConnectorDoc = {
    _id: id,
    ...fields,
    ...(hasSecrets ? { secrets: encryptSecrets(keyring!, id, secrets, now) } : {}),
    stats: emptyStats(),
    createdAt: now,
    updatedAt: now,
  };
  try {
    await connectors(db).insertOne(doc);
  } catch (error) {
    if (isDuplicateKey(error)) throw new ConnectorExistsError(`a connector with id ${id} already exists`);
    throw error;
  }
  await noteConnectorsChanged(db);
  return doc;
}

/**
 * Applies a validated patch; a new `config` and changed `secrets` are checked against the connector's kind
 * ({@link ConnectorValidationError} with the fields, nothing changed). Returns null when absent.
 */
export async function updateConnector({ db, id, patch, keyring }: { db: Db; id: string; patch: ConnectorPatch; keyring?: Keyring }): Promise<ConnectorDoc | null> {
  const { policies, secrets, checkpoint, ...fields } = patch;
  const now = new Date();
  const set: Record<string, unknown> = { ...fields, updatedAt: now };
  const unset: Record<string, ''> = {};
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
  if (patch.config || secrets) {
    const current = await getConnector({ db, id });
    if (!current) return null;
    const kind = getConnectorKind(current.kind)!;
    let config: unknown = current.config;
    if (patch.config) {
      const parsed = kind.configSchema.safeParse(patch.config);
      if (!parsed.success) {
        throw new ConnectorValidationError(parsed.error.issues.map((issue) => ({ path: ['config', ...issue.path.map(String)].join('.'), message: issue.message })));
      }
      config = parsed.data;
      set.config = config as Record<string, unknown>;
    }
    // Also when only the config changed: a new auth type may need a secret that is not set.
    const problems = checkSecrets(kind, config, secrets ?? {}, Object.keys(current.secrets ?? {}));
    if (problems.length) throw new ConnectorValidationError(problems);
    if (secrets) {
      const changed = Object.entries(secrets);
      if (changed.some(([, value]) => value !== null) && !keyring) throw new Error('updateConnector: secrets given without a keyring');
      for (const [name, value] of Object.entries(encryptSecrets(keyring!, id, secrets, now))) set[`secrets.${name}`] = value;
      for (const [name, value] of changed) if (value === null) unset[`secrets.${name}`] = '';
    }
  }
  const updated = await connectors(db).findOneAndUpdate(
    { _id: id },
    Object.keys(unset).length ? { $set: set, $unset: unset } : { $set: set },
    { returnDocument: 'after' },
  );
  await noteConnectorsChanged(db);
  if (updated && checkpoint === null) await deleteCheckpoint({ db, connectorId: id });
  return updated;
}

export async function deleteConnector({ db, id }: { db: Db; id: string }): Promise<boolean> {
  const deleted = (await connectors(db).deleteOne({ _id: id })).deletedCount === 1;
  await noteConnectorsChanged(db);
  if (deleted) await deleteCheckpoint({ db, connectorId: id });
  return deleted;
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
  /** The run as it ended; kept on the connector (without its log) for status reads. */
  run?: Omit<RunDoc, 'log'> & { log?: unknown };
}): Promise<void> {
  if (status === 'skipped' || status === 'queued' || status === 'running') return;
  // Left-out fields stay out (the driver would store undefined as null).
  const snapshot = run ? (Object.fromEntries(Object.entries(run).filter(([key, value]) => key !== 'log' && value !== undefined)) as Omit<RunDoc, 'log'>) : undefined;
  const last = { 'stats.lastRunId': runId, 'stats.lastRunAt': at, 'stats.lastStatus': status, ...(snapshot ? { 'stats.lastRun': snapshot } : {}) };
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
  await noteConnectorsChanged(db);
}
