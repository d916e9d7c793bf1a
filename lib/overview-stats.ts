import type { Db } from 'mongodb';
import type { RunStatus } from '@/lib/realtime/events';
import { percentile } from '@/lib/runs/stats';
import { runs } from '@/lib/runs/store';

/** At most this many finished runs feed one answer (newest first); the answer says when the window held more. */
export const OVERVIEW_RUN_LIMIT = 50_000;

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** What the overview's figures need of a finished run. */
export interface FinishedRun {
  connectorId: string;
  status: RunStatus;
  /** When the run ended (or was queued, for runs that never started). */
  at: Date;
  durationMs: number | null;
}

/** One connector's figures over the window. */
export interface ConnectorFigures {
  connectorId: string;
  /** Runs that ended in success or failure (cancelled and skipped runs are left out of the rate). */
  decided: number;
  succeeded: number;
  successRate: number | null;
  p50Ms: number | null;
  p95Ms: number | null;
  /** The latest executed runs, oldest first, for the duration sparkline. */
  recent: Array<{ at: string; status: RunStatus; durationMs: number }>;
}

/** Runs that ended in one hour, by outcome. `failed` includes interrupted runs; `other` is cancelled and skipped. */
export interface HourBucket {
  hour: string;
  succeeded: number;
  failed: number;
  other: number;
}

export interface OverviewStats {
  /** The success rates and durations cover runs that ended in [from, to]. */
  window: { days: number; from: string; to: string };
  /** Runs considered; `truncated` when the window held more than {@link OVERVIEW_RUN_LIMIT}. */
  runsConsidered: number;
  truncated: boolean;
  /** Per connector with at least one finished run in the window. */
  connectors: ConnectorFigures[];
  /** The last `hours` whole hours up to the current one, oldest first; every hour present. */
  hourly: HourBucket[];
}

const isFailure = (status: RunStatus) => status === 'failed' || status === 'interrupted';

/** Share of succeeded runs among runs that succeeded or failed; null when none did either. */
export function successRate(statuses: Iterable<RunStatus>): { decided: number; succeeded: number; rate: number | null } {
  let decided = 0;
  let succeeded = 0;
  for (const status of statuses) {
    if (status === 'succeeded') succeeded++;
    if (status === 'succeeded' || isFailure(status)) decided++;
  }
  return { decided, succeeded, rate: decided ? succeeded / decided : null };
}

/** Counts runs per hour by outcome over the `hours` hours that end with the hour holding `now` (UTC hours). */
export function hourlyBuckets(finished: readonly FinishedRun[], now: Date, hours: number): HourBucket[] {
  const last = Math.floor(now.getTime() / HOUR_MS) * HOUR_MS;
  const first = last - (hours - 1) * HOUR_MS;
  const buckets: HourBucket[] = Array.from({ length: hours }, (_, i) => ({ hour: new Date(first + i * HOUR_MS).toISOString(), succeeded: 0, failed: 0, other: 0 }));
  for (const run of finished) {
    const index = Math.floor((run.at.getTime() - first) / HOUR_MS);
    const bucket = buckets[index];
    if (index < 0 || !bucket) continue;
    if (run.status === 'succeeded') bucket.succeeded++;
    else if (isFailure(run.status)) bucket.failed++;
    else bucket.other++;
  }
  return buckets;
}

/** Success rate, p50/p95 duration and the latest `sparkline` durations of each connector. Input in any order. */
export function connectorFigures(finished: readonly FinishedRun[], sparkline: number): ConnectorFigures[] {
  const byConnector = new Map<string, FinishedRun[]>();
  for (const run of finished) {
    const list = byConnector.get(run.connectorId);
    if (list) list.push(run);
    else byConnector.set(run.connectorId, [run]);
  }
  return [...byConnector].map(([connectorId, list]) => {
    list.sort((a, b) => a.at.getTime() - b.at.getTime());
    const { decided, succeeded, rate } = successRate(list.map((r) => r.status));
    const executed = list.filter((r): r is FinishedRun & { durationMs: number } => r.status !== 'skipped' && r.durationMs !== null);
    const durations = executed.map((r) => r.durationMs).sort((a, b) => a - b);
    return {
      connectorId,
      decided,
      succeeded,
      successRate: rate,
      p50Ms: percentile(durations, 50),
      p95Ms: percentile(durations, 95),
      recent: executed.slice(-sparkline).map((r) => ({ at: r.at.toISOString(), status: r.status, durationMs: r.durationMs })),
    };
  });
}

/**
 * The overview's figures: each connector's success rate, durations and sparkline over the last `days`, and runs
 * per hour by outcome over the last `hours`. One bounded, index-backed find with a projection, computed here
 * because the embedded database lacks (or mis-computes) the accumulators an aggregation would need.
 */
export async function getOverviewStats({ db, days, hours, sparkline, now = new Date() }: { db: Db; days: number; hours: number; sparkline: number; now?: Date }): Promise<OverviewStats> {
  const from = new Date(Math.min(now.getTime() - days * DAY_MS, Math.floor(now.getTime() / HOUR_MS) * HOUR_MS - (hours - 1) * HOUR_MS));
  const docs = await runs(db)
    .find(
      { queuedAt: { $gte: from }, status: { $in: ['succeeded', 'failed', 'interrupted', 'cancelled', 'skipped'] } },
      { projection: { _id: 0, connectorId: 1, status: 1, queuedAt: 1, finishedAt: 1, durationMs: 1 } },
    )
    .sort({ queuedAt: -1 })
    .limit(OVERVIEW_RUN_LIMIT + 1)
    .toArray();
  const truncated = docs.length > OVERVIEW_RUN_LIMIT;
  const finished: FinishedRun[] = (truncated ? docs.slice(0, OVERVIEW_RUN_LIMIT) : docs).map((d) => ({
    connectorId: d.connectorId,
    status: d.status,
    at: d.finishedAt ?? d.queuedAt,
    durationMs: typeof d.durationMs === 'number' ? d.durationMs : null,
  }));
  const windowFrom = new Date(now.getTime() - days * DAY_MS);
  return {
    window: { days, from: windowFrom.toISOString(), to: now.toISOString() },
    runsConsidered: finished.length,
    truncated,
    connectors: connectorFigures(
      finished.filter((r) => r.at >= windowFrom),
      sparkline,
    ),
    hourly: hourlyBuckets(finished, now, hours),
  };
}
