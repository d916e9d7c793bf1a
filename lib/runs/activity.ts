import type { Db } from 'mongodb';
import type { RunStatus } from '@/lib/domain/run';
import { percentile } from './stats';
import { runs, type RunDoc } from './store';

/** At most this many finished runs feed one answer; the answer says when the window held more. */
export const ACTIVITY_RUN_LIMIT = 50_000;
const HOUR_MS = 3_600_000;

export interface HourOutcomes {
  /** Start of the hour (ISO). */
  hour: string;
  succeeded: number;
  failed: number;
  /** Cancelled or skipped. */
  other: number;
}

export interface ConnectorActivity {
  connectorId: string;
  runs: number;
  failed: number;
  p50Ms: number | null;
  p95Ms: number | null;
}

/** Across all connectors, the last `hours`: outcomes per hour and durations per connector (the wall's charts). */
export interface Activity {
  hours: number;
  from: string;
  to: string;
  runsConsidered: number;
  truncated: boolean;
  hourly: HourOutcomes[];
  byConnector: ConnectorActivity[];
}

type ActivityRun = Pick<RunDoc, 'connectorId' | 'status' | 'queuedAt' | 'startedAt' | 'durationMs'>;

const isFailure = (s: RunStatus) => s === 'failed' || s === 'interrupted';

/** The first hour of the window: whole hours, the current one last. */
export const windowStart = (now: Date, hours: number) => new Date(Math.floor(now.getTime() / HOUR_MS) * HOUR_MS - (hours - 1) * HOUR_MS);

/** Pure summary of finished runs; every hour of the window is present, empty ones with zeros. */
export function summarizeActivity(list: ActivityRun[], { now, hours }: { now: Date; hours: number }): Omit<Activity, 'truncated'> {
  const from = windowStart(now, hours);
  const hourly: HourOutcomes[] = Array.from({ length: hours }, (_, i) => ({ hour: new Date(from.getTime() + i * HOUR_MS).toISOString(), succeeded: 0, failed: 0, other: 0 }));
  const perConnector = new Map<string, { runs: number; failed: number; durations: number[] }>();
  let considered = 0;
  for (const run of list) {
    const at = (run.startedAt ?? run.queuedAt).getTime();
    const index = Math.floor((at - from.getTime()) / HOUR_MS);
    if (index < 0 || index >= hours) continue;
    considered++;
    const bucket = hourly[index]!;
    if (run.status === 'succeeded') bucket.succeeded++;
    else if (isFailure(run.status)) bucket.failed++;
    else bucket.other++;
    const entry = perConnector.get(run.connectorId) ?? { runs: 0, failed: 0, durations: [] };
    entry.runs++;
    if (isFailure(run.status)) entry.failed++;
    if (run.status !== 'skipped' && typeof run.durationMs === 'number') entry.durations.push(run.durationMs);
    perConnector.set(run.connectorId, entry);
  }
  const byConnector = [...perConnector].map(([connectorId, e]) => {
    e.durations.sort((a, b) => a - b);
    return { connectorId, runs: e.runs, failed: e.failed, p50Ms: percentile(e.durations, 50), p95Ms: percentile(e.durations, 95) };
  });
  byConnector.sort((a, b) => a.connectorId.localeCompare(b.connectorId));
  return { hours, from: from.toISOString(), to: now.toISOString(), runsConsidered: considered, hourly, byConnector };
}

/** Finished runs of every connector over the last `hours`, summarised for the wall's charts. */
export async function getActivity({ db, hours, now = new Date() }: { db: Db; hours: number; now?: Date }): Promise<Activity> {
  const docs = await runs(db)
    .find(
      { queuedAt: { $gte: new Date(windowStart(now, hours).getTime() - HOUR_MS) }, status: { $nin: ['queued', 'running'] } },
      { projection: { connectorId: 1, status: 1, queuedAt: 1, startedAt: 1, durationMs: 1 } },
    )
    .sort({ queuedAt: -1 })
    .limit(ACTIVITY_RUN_LIMIT + 1)
    .toArray();
  const truncated = docs.length > ACTIVITY_RUN_LIMIT;
  return { ...summarizeActivity(truncated ? docs.slice(0, ACTIVITY_RUN_LIMIT) : docs, { now, hours }), truncated };
}
