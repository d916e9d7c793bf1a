import type { Db } from 'mongodb';
import { isDuplicateKey } from '@/lib/write-errors';
import type { FieldError } from '@/lib/api/errors';
import type { IntervalBounds, Schedule } from '@/lib/scheduling/schedule';
import type { Keyring } from '@/lib/secrets/keyring';
import { deleteCheckpoint } from './checkpoint';
import { getConnectorKind } from './registry';
import { connectorSchemasFor, defaultPolicies, type ConnectorPatch, type NewConnector, type Policies } from './schema';
import { checkSecrets, encryptSecrets, toSecretsView, type SecretsView, type StoredSecrets } from './secrets';
import { collections } from '@/lib/store/collections';
import { markedCache } from '@/lib/store/marked-cache';
import { deleteFigures } from './figures';

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

/**
 * Every connector, by name, kept while the `connectors-changed` marker says no connector was written since. The
 * embedded FerretDB reads and decodes every document for this (about 0.4 s for 500 connectors), and the overview,
 * the slot clock and the runs page all ask for it. Runs do not change it: their figures live in `connectorStats`
 * (./figures.ts), so the list is read again only when a connector's configuration changes.
 *
 * The documents are shared by every caller and frozen (copying 500 of them cost the overview about 10 ms a
 * request): a caller that wants to change one works on a copy of its own. The array is the caller's.
 */
const connectorList = markedCache('connectors-changed', (db) =>
  connectors(db)
    .find()
    .sort({ name: 1, _id: 1 })
    .toArray()
    .then((docs): readonly ConnectorDoc[] => docs),
);

/** Tells every process that connectors changed; call it after the write has landed. */
export const noteConnectorsChanged = (db: Db): Promise<void> => connectorList.note(db);

export async function listConnectors({ db }: { db: Db }): Promise<ConnectorDoc[]> {
  return [...(await connectorList.get(db))];
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
  if (deleted) await Promise.all([deleteCheckpoint({ db, connectorId: id }), deleteFigures({ db, connectorId: id })]);
  return deleted;
}
