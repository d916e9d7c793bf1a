import type { ConnectorStatus } from '@/lib/connectors/status';
import type { RunCounts } from '@/lib/domain/run';
import type { SyncFinishEvent, SyncProgressEvent, SyncStartEvent } from '@/lib/realtime/events';
import type { Run } from '@/lib/runs/store';

/** How one connector's status changes with each live event. Pure; the server's status re-read follows each finish. */

const zeroCounts = (): RunCounts => ({ fetched: 0, created: 0, updated: 0, unchanged: 0, skipped: 0, failed: 0 });

export function applyStart(c: ConnectorStatus, e: SyncStartEvent): ConnectorStatus {
  const queued = c.running?.id === e.runId ? c.running : null;
  const running: Run = {
    id: e.runId,
    connectorId: e.connectorId,
    trigger: e.trigger,
    initiatedBy: e.initiatedBy,
    status: 'running',
    queuedAt: queued?.queuedAt ?? e.startedAt,
    startedAt: e.startedAt,
    counts: zeroCounts(),
  };
  return { ...c, running };
}

/** Progress of a run this page did not see start is ignored here; the caller re-reads the status. */
export function applyProgress(c: ConnectorStatus, e: SyncProgressEvent): ConnectorStatus {
  if (c.running?.id !== e.runId) return c;
  const progress = { done: e.done, ...(e.total === undefined ? {} : { total: e.total }), ...(e.phase === undefined ? {} : { phase: e.phase }) };
  return { ...c, running: { ...c.running, status: 'running', progress, counts: e.counts } };
}

export function applyFinish(c: ConnectorStatus, e: SyncFinishEvent): ConnectorStatus {
  const running = c.running?.id === e.runId ? null : c.running;
  // Skipped slots are recorded but do not count as the connector's runs.
  if (e.status === 'skipped') return { ...c, running };
  if (c.lastRun?.id === e.runId) return { ...c, running }; // already counted
  const base: Run = c.running?.id === e.runId ? c.running : { id: e.runId, connectorId: e.connectorId, trigger: 'scheduled', initiatedBy: '', status: e.status, queuedAt: e.finishedAt, counts: e.counts };
  const lastRun: Run = { ...base, status: e.status, finishedAt: e.finishedAt, durationMs: e.durationMs, counts: e.counts, error: e.error };
  const failed = e.status === 'failed' || e.status === 'interrupted';
  const succeeded = e.status === 'succeeded';
  return {
    ...c,
    running,
    lastRun,
    totalRuns: c.totalRuns + 1,
    lastSuccess: succeeded ? e.finishedAt : c.lastSuccess,
    lastError: succeeded ? null : failed ? (e.error ?? c.lastError) : c.lastError,
    consecutiveFailures: succeeded ? 0 : failed ? c.consecutiveFailures + 1 : c.consecutiveFailures,
  };
}

/** Right after "Run now" answered 202: show the run as queued until its start event arrives. */
export function applyQueued(c: ConnectorStatus, runId: string, at: string): ConnectorStatus {
  if (c.running || c.lastRun?.id === runId) return c;
  return { ...c, running: { id: runId, connectorId: c.id, trigger: 'manual', initiatedBy: 'you', status: 'queued', queuedAt: at, counts: zeroCounts() } };
}

/** The server saves progress only now and then; progress events seen here may be ahead of it. */
function newerProgress(local: Run | null, fetched: Run | null): Run | null {
  if (!local || !fetched || local.id !== fetched.id || (local.progress?.done ?? 0) <= (fetched.progress?.done ?? 0)) return fetched;
  return { ...fetched, progress: local.progress, counts: local.counts };
}

/**
 * A status read from the server. When live events touched the connector while the request was under way,
 * the run figures from those events are newer than the answer and are kept.
 */
export function mergeFetched(local: ConnectorStatus | undefined, fetched: ConnectorStatus, overtaken: boolean): ConnectorStatus {
  if (!local) return fetched;
  if (!overtaken) return { ...fetched, running: newerProgress(local.running, fetched.running) };
  const { running, lastRun, lastSuccess, lastError, consecutiveFailures, totalRuns } = local;
  return { ...fetched, running, lastRun, lastSuccess, lastError, consecutiveFailures, totalRuns };
}
