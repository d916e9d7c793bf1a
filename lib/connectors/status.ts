import type { Db } from 'mongodb';
import type { RunError } from '@/lib/domain/run';
import { findLiveRuns, runs, toRun, type Run } from '@/lib/runs/store';
import { describeSchedule, nextSlot, nextSlots, type Schedule } from '@/lib/scheduling/schedule';
import { getFigures, listFigures, emptyStats, type ConnectorStats } from './figures';
import type { ConnectorDoc } from './store';

const EMPTY: ConnectorStats = Object.freeze(emptyStats());

/** How many upcoming slots the status shows per schedule. */
const UPCOMING = 3;

export interface ConnectorStatus {
  id: string;
  name: string;
  description: string;
  kind: string;
  enabled: boolean;
  /** The run going now (or queued to start), with its live progress. */
  running: Run | null;
  /** A retry waiting out its backoff, if any. */
  pendingRetry: Run | null;
  lastRun: Run | null;
  lastSuccess: string | null;
  nextRun: string | null;
  totalRuns: number;
  lastError: RunError | null;
  consecutiveFailures: number;
  longestFailureStreak: number;
  schedules: Array<Schedule & { description: string; nextRuns: string[] }>;
}

/** The earliest next slot of a connector's enabled schedules, or null when it has no automatic runs. */
export function nextRunOf(connector: ConnectorDoc, after: Date): Date | null {
  if (!connector.enabled) return null;
  const slots = connector.schedules.filter((s) => s.enabled).map((s) => nextSlot(s, after).getTime());
  return slots.length ? new Date(Math.min(...slots)) : null;
}

/**
 * The API form of each connector's embedded last run, made once per stored copy: the connector list hands out the
 * same frozen documents until a connector changes, and the overview asks for 500 of these on every request.
 */
const lastRunViews = new WeakMap<object, Run>();

function lastRunView(doc: NonNullable<ConnectorStats['lastRun']>): Run {
  let view = lastRunViews.get(doc);
  if (!view) {
    view = Object.freeze(toRun({ ...doc, log: [] }));
    lastRunViews.set(doc, view);
  }
  return view;
}

/**
 * Status of several connectors with two queries in all: the runs going now and the last run of each.
 * `paused` hides next runs while the scheduler is paused.
 */
export async function getConnectorStatuses({ db, connectors, paused = false }: { db: Db; connectors: ConnectorDoc[]; paused?: boolean }): Promise<ConnectorStatus[]> {
  const ids = new Set(connectors.map((c) => c._id));
  // One connector: its figures by `_id`; several: every connector's figures, read once and kept while no run changed them.
  const only = connectors.length === 1 ? connectors[0]! : undefined;
  const figures = only ? new Map([[only._id, await getFigures({ db, connectorId: only._id })]]) : await listFigures({ db });
  const statsOf = (id: string) => figures.get(id) ?? EMPTY;
  // The figures keep the last run as it ended; only runs recorded before they did are looked up.
  const lastIds = connectors.flatMap((c) => {
    const stats = statsOf(c._id);
    return stats.lastRunId && stats.lastRun?._id !== stats.lastRunId ? [stats.lastRunId] : [];
  });
  // Looked up one by one: the embedded FerretDB finds a run by `_id` from an index, but reads every run for `$in`.
  const [live, last] = await Promise.all([
    findLiveRuns({ db }),
    Promise.all(lastIds.map((id) => runs(db).findOne({ _id: id }, { projection: { log: 0 } }))).then((found) => found.filter((r) => r !== null)),
  ]);
  const active = live.filter((r) => ids.has(r.connectorId));
  const now = new Date();
  // Grouped once: with hundreds of connectors, scanning both lists per connector adds up.
  const activeOf = new Map<string, typeof active>();
  for (const run of active) activeOf.set(run.connectorId, [...(activeOf.get(run.connectorId) ?? []), run]);
  const lastById = new Map(last.map((r) => [r._id, r]));
  return connectors.map((c) => {
    const stats = statsOf(c._id);
    const mine = activeOf.get(c._id) ?? [];
    const pending = (r: (typeof mine)[number]) => r.status === 'queued' && r.notBefore !== undefined && r.notBefore > now;
    const running = mine.find((r) => r.status === 'running') ?? mine.find((r) => r.notBefore !== undefined && !pending(r));
    const pendingRetry = mine.find(pending);
    const embedded = stats.lastRun?._id === stats.lastRunId ? stats.lastRun : undefined;
    const looked = !embedded && stats.lastRunId ? lastById.get(stats.lastRunId) : undefined;
    const next = paused ? null : nextRunOf(c, now);
    return {
      id: c._id,
      name: c.name,
      description: c.description,
      kind: c.kind,
      enabled: c.enabled,
      running: running ? toRun({ ...running, log: [] }) : null,
      pendingRetry: pendingRetry ? toRun({ ...pendingRetry, log: [] }) : null,
      lastRun: embedded ? lastRunView(embedded) : looked ? toRun({ ...looked, log: [] }) : null,
      lastSuccess: stats.lastSuccessAt?.toISOString() ?? null,
      nextRun: next?.toISOString() ?? null,
      totalRuns: stats.totalRuns,
      lastError: stats.lastError ?? null,
      consecutiveFailures: stats.consecutiveFailures,
      longestFailureStreak: stats.longestFailureStreak,
      schedules: c.schedules.map((s) => ({
        ...s,
        description: describeSchedule(s),
        nextRuns: s.enabled && c.enabled && !paused ? nextSlots(s, now, UPCOMING).map((d) => d.toISOString()) : [],
      })),
    };
  });
}
