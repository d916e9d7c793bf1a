import type { Actor } from '@/lib/auth/actor';
import { DomainError } from '@/lib/domain/errors';
import type { Runtime } from '@/lib/runtime';
import { findLiveRuns, getRun, updateRun } from '@/lib/runs/store';
import { getConnectorStatuses, type ConnectorStatus } from './status';
import { keyringOf } from '@/lib/secrets/config';
import {
  createConnector,
  deleteConnector,
  getConnector,
  listConnectors,
  toConnector,
  updateConnector,
  ConnectorExistsError,
  ConnectorValidationError,
  PolicyConflictError,
  type Connector,
} from './store';
import type { ConnectorPatch, NewConnector } from './schema';
import { actorLabel } from '@/lib/auth/actor';
import { recordAudit } from '@/lib/audit/audit';
import { emptyCounts } from '@/lib/domain/run';

/**
 * Connector operations as the API and UI invoke them: each changes the database, re-plans the scheduler
 * where schedules are affected, and tells live clients. Route handlers call exactly one of these.
 */

type Deps = Pick<Runtime, 'db' | 'bus' | 'scheduler'> & Partial<Pick<Runtime, 'config'>>;

/** The keyring for secrets given on create/update; only the server (with a resolved key) can accept them. */
function keyringFor(deps: Deps, secrets: Record<string, unknown> | undefined) {
  if (!secrets || Object.values(secrets).every((v) => v === null)) return undefined;
  if (!deps.config?.secretsKey) throw new DomainError('unavailable', 'Secrets cannot be stored: the server has no secrets key');
  return keyringOf(deps.config);
}

/** A connector as the audit log keeps it: the public shape (secrets by name only), without bookkeeping times. */
function auditSnapshot(connector: Connector) {
  const { createdAt: _created, updatedAt: _updated, id: _id, ...rest } = connector;
  return rest;
}

export async function requireConnector(deps: Pick<Runtime, 'db'>, id: string) {
  const connector = await getConnector({ db: deps.db, id });
  if (!connector) throw new DomainError('not_found', `No connector with id ${id}`);
  return connector;
}

export async function getStatus(deps: Deps, id: string): Promise<ConnectorStatus> {
  const connector = await requireConnector(deps, id);
  const [status] = await getConnectorStatuses({ db: deps.db, connectors: [connector], paused: deps.scheduler.isPaused() });
  return status!;
}

export async function getAllStatuses(deps: Deps): Promise<ConnectorStatus[]> {
  return getConnectorStatuses({ db: deps.db, connectors: await listConnectors({ db: deps.db }), paused: deps.scheduler.isPaused() });
}

export async function addConnector(deps: Deps, input: NewConnector, actor: Actor): Promise<Connector> {
  try {
    const doc = await createConnector({ db: deps.db, input, keyring: keyringFor(deps, input.secrets), intervalBounds: deps.config?.intervalBounds });
    const connector = toConnector(doc);
    await recordAudit(deps.db, { actor, action: 'connector.create', target: { type: 'connector', id: doc._id }, after: auditSnapshot(connector) });
    await deps.scheduler.reschedule(doc._id);
    deps.bus.emit('connector:updated', { connectorId: doc._id, created: true });
    return connector;
  } catch (error) {
    if (error instanceof ConnectorExistsError) throw new DomainError('conflict', error.message);
    throw error;
  }
}

/** Applies a patch; the audit entry is `connector.update` unless the caller names the action (enable, disable). */
export async function changeConnector(deps: Deps, id: string, patch: ConnectorPatch, actor: Actor, action = 'connector.update'): Promise<Connector> {
  const before = toConnector(await requireConnector(deps, id));
  let doc;
  try {
    doc = await updateConnector({ db: deps.db, id, patch, keyring: keyringFor(deps, patch.secrets) });
  } catch (error) {
    if (error instanceof ConnectorValidationError) throw new DomainError('invalid', `Invalid request body: ${error.message}`, error.fields);
    if (error instanceof PolicyConflictError) {
      const [path = 'policies', message = error.message] = error.message.split(': ');
      throw new DomainError('invalid', `Invalid request body: ${error.message}`, [{ path, message }]);
    }
    throw error;
  }
  if (!doc) throw new DomainError('not_found', `No connector with id ${id}`);
  const after = toConnector(doc);
  await recordAudit(deps.db, {
    actor,
    action,
    target: { type: 'connector', id },
    before: auditSnapshot(before),
    after: auditSnapshot(after),
    ...(patch.checkpoint === null ? { details: { checkpointReset: true } } : {}),
  });
  if (patch.schedules || patch.enabled !== undefined) await deps.scheduler.reschedule(id);
  // Live clients learn what changed, never secret values: only which secrets changed.
  const { config: _hidden, secrets, checkpoint, ...changed } = patch;
  deps.bus.emit('connector:updated', {
    connectorId: id,
    ...changed,
    ...(patch.config ? { configChanged: true } : {}),
    ...(secrets ? { secretsChanged: Object.keys(secrets).sort() } : {}),
    ...(checkpoint === null ? { checkpointReset: true } : {}),
  });
  return after;
}

export async function removeConnector(deps: Deps, id: string, actor: Actor): Promise<void> {
  const before = toConnector(await requireConnector(deps, id));
  if (!(await deleteConnector({ db: deps.db, id }))) throw new DomainError('not_found', `No connector with id ${id}`);
  await recordAudit(deps.db, { actor, action: 'connector.delete', target: { type: 'connector', id }, before: auditSnapshot(before) });
  await deps.scheduler.reschedule(id);
  deps.bus.emit('connector:updated', { connectorId: id, deleted: true });
}

/** Starts a manual run; 409 when the connector is already running. */
export async function startRun(deps: Deps, id: string, actor: Actor): Promise<{ runId: string }> {
  await requireConnector(deps, id);
  let started: { runId: string };
  try {
    started = await deps.scheduler.runNow(id, actor);
  } catch (error) {
    if ((error as Error).name === 'RunConflictError') throw new DomainError('conflict', (error as Error).message);
    throw error;
  }
  await recordAudit(deps.db, { actor, action: 'connector.run', target: { type: 'connector', id }, details: { runId: started.runId } });
  return started;
}

/**
 * Cancels the connector's current run: a queued run is cancelled at once; a running one receives its abort
 * signal (and is ended after a grace period if it ignores it). 409 when nothing is running.
 */
export async function cancelRun(deps: Deps, id: string, actor: Actor): Promise<{ runId: string }> {
  await requireConnector(deps, id);
  const going = await findLiveRuns({ db: deps.db, connectorId: id });
  const active = going.find((r) => r.status === 'running') ?? going[0];
  if (!active) throw new DomainError('conflict', `Connector ${id} has no run going`);
  if (active.status === 'queued') {
    const finishedAt = new Date();
    await updateRun({ db: deps.db, id: active._id, set: { status: 'cancelled', finishedAt, durationMs: 0, cancelledBy: actorLabel(actor) } });
    deps.bus.emit('sync:finish', { runId: active._id, connectorId: id, status: 'cancelled', finishedAt: finishedAt.toISOString(), durationMs: 0, counts: emptyCounts() });
  } else if (!(await deps.scheduler.cancel(active._id, actor))) {
    // Running on another instance: it sees the request when it next renews the run's lease.
    await updateRun({ db: deps.db, id: active._id, set: { cancelRequestedBy: actorLabel(actor) } });
  }
  await recordAudit(deps.db, { actor, action: 'connector.cancel', target: { type: 'connector', id }, details: { runId: active._id, runStatus: active.status } });
  return { runId: active._id };
}

export async function setEnabled(deps: Deps, id: string, enabled: boolean, actor: Actor): Promise<Connector> {
  return changeConnector(deps, id, { enabled }, actor, enabled ? 'connector.enable' : 'connector.disable');
}

export async function requireRun(deps: Pick<Runtime, 'db'>, id: string) {
  const run = await getRun({ db: deps.db, id });
  if (!run) throw new DomainError('not_found', `No run with id ${id}`);
  return run;
}
