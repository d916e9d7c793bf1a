import type { Db } from 'mongodb';
import type { RunCounts, RunStatus } from '@/lib/domain/run';
import { runs } from './store';

/** At most this many runs feed one stats answer; the answer says when the window held more. */
export const STATS_RUN_LIMIT = 20_000;
/** Runs listed one by one for the per-run charts (newest). */
const SERIES_LIMIT = 500;

export interface RunPoint {
  id: string;
  at: string;
  status: RunStatus;
  durationMs: number | null;
  counts: RunCounts;
  /** Consecutive failures up to and including this run. */
  failureStreak: number;
}

export interface DayStats {
  day: string;
  runs: number;
  byStatus: Partial<Record<RunStatus, number>>;
  p50Ms: number | null;
  p95Ms: number | null;
  records: Pick<RunCounts, 'created' | 'updated' | 'unchanged' | 'failed'>;
}

export interface ConnectorStats {
  connectorId: string;
  days: number;
  from: string;
  to: string;
  /** Runs considered; `truncated` when the window held more than {@link STATS_RUN_LIMIT}. */
  runsConsidered: number;
  truncated: boolean;
  byStatus: Partial<Record<RunStatus, number>>;
  /** Succeeded among runs that ended in success or failure (skips and cancellations excluded). */
  successRate: number | null;
  durations: { p50Ms: number | null; p95Ms: number | null; maxMs: number | null };
  streaks: { current: number; longest: number };
  daily: DayStats[];
  runs: RunPoint[];
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

const counted = (status: RunStatus) => status === 'succeeded' || status === 'failed' || status === 'interrupted';
const failure = (status: RunStatus) => status === 'failed' || status === 'interrupted';

/**
 * Figures for a connector's charts over the last `days`: durations with p50/p95, records per run, outcomes per
 * day, and failure streaks. Computed here rather than in an aggregation pipeline, because the embedded database
 * lacks (or silently mis-computes) the accumulators that would need.
 */
export async function getConnectorStats({ db, connectorId, days, now = new Date() }: { db: Db; connectorId: string; days: number; now?: Date }): Promise<ConnectorStats> {
  const from = new Date(now.getTime() - days * 86_400_000);
  const docs = await runs(db)
    .find(
      { connectorId, queuedAt: { $gte: from }, status: { $nin: ['queued', 'running'] } },
      { projection: { status: 1, queuedAt: 1, startedAt: 1, durationMs: 1, counts: 1 } },
    )
    .sort({ queuedAt: -1 })
    .limit(STATS_RUN_LIMIT + 1)
    .toArray();
  const truncated = docs.length > STATS_RUN_LIMIT;
  const window = (truncated ? docs.slice(0, STATS_RUN_LIMIT) : docs).reverse();

  const byStatus: Partial<Record<RunStatus, number>> = {};
  const durations: number[] = [];
  const daily = new Map<string, { day: DayStats; durations: number[] }>();
  const points: RunPoint[] = [];
  let streak = 0;
  let longest = 0;
  for (const run of window) {
    byStatus[run.status] = (byStatus[run.status] ?? 0) + 1;
    if (failure(run.status)) longest = Math.max(longest, ++streak);
    else if (run.status === 'succeeded') streak = 0;
    const executed = run.status !== 'skipped' && typeof run.durationMs === 'number';
    if (executed) durations.push(run.durationMs!);

    const key = run.queuedAt.toISOString().slice(0, 10);
    const entry = daily.get(key) ?? { day: { day: key, runs: 0, byStatus: {}, p50Ms: null, p95Ms: null, records: { created: 0, updated: 0, unchanged: 0, failed: 0 } }, durations: [] };
    entry.day.runs++;
    entry.day.byStatus[run.status] = (entry.day.byStatus[run.status] ?? 0) + 1;
    for (const k of ['created', 'updated', 'unchanged', 'failed'] as const) entry.day.records[k] += run.counts?.[k] ?? 0;
    if (executed) entry.durations.push(run.durationMs!);
    daily.set(key, entry);

    points.push({
      id: run._id,
      at: (run.startedAt ?? run.queuedAt).toISOString(),
      status: run.status,
      durationMs: executed ? run.durationMs! : null,
      counts: run.counts,
      failureStreak: streak,
    });
  }
  durations.sort((a, b) => a - b);
  const ended = window.filter((r) => counted(r.status));
  return {
    connectorId,
    days,
    from: from.toISOString(),
    to: now.toISOString(),
    runsConsidered: window.length,
    truncated,
    byStatus,
    successRate: ended.length ? ended.filter((r) => r.status === 'succeeded').length / ended.length : null,
    durations: { p50Ms: percentile(durations, 50), p95Ms: percentile(durations, 95), maxMs: durations.at(-1) ?? null },
    streaks: { current: streak, longest },
    daily: [...daily.values()].map(({ day, durations: d }) => {
      d.sort((a, b) => a - b);
      return { ...day, p50Ms: percentile(d, 50), p95Ms: percentile(d, 95) };
    }),
    runs: points.slice(-SERIES_LIMIT),
  };
}
