import type { Db } from 'mongodb';
import type { RunStatus } from '@/lib/domain/run';
import { percentile } from '@/lib/runs/stats';
import { runs } from '@/lib/runs/store';

/** At most this many finished runs feed one answer (newest first); the answer says when the window held more. */
export const OVERVIEW_RUN_LIMIT = 50_000;

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** What the overview's figures need of a finished run. */
export interface FinishedRun {
  /** The run's id, when known: a run read from the history and also heard of finishing is counted once. */
  id?: string;
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

/** The overview's figures from finished runs (newest `OVERVIEW_RUN_LIMIT` at most; `truncated` when there were more). */
export function overviewStatsOf(
  finished: readonly FinishedRun[],
  { days, hours, sparkline, now = new Date(), truncated }: { days: number; hours: number; sparkline: number; now?: Date; truncated: boolean },
): OverviewStats {
  const from = new Date(Math.min(now.getTime() - days * DAY_MS, Math.floor(now.getTime() / HOUR_MS) * HOUR_MS - (hours - 1) * HOUR_MS));
  const inWindow = finished.filter((r) => r.at >= from && r.at <= now);
  const windowFrom = new Date(now.getTime() - days * DAY_MS);
  return {
    window: { days, from: windowFrom.toISOString(), to: now.toISOString() },
    runsConsidered: inWindow.length,
    truncated,
    connectors: connectorFigures(
      inWindow.filter((r) => r.at >= windowFrom),
      sparkline,
    ),
    hourly: hourlyBuckets(inWindow, now, hours),
  };
}

/** The longest window the overview's figures can ask for (the `days` and `hours` bounds of the API). */
const LONGEST_WINDOW_MS = 30 * DAY_MS;
/** The cache reads the history again this often: runs pruned meanwhile, a finish it never heard of. */
const CACHE_REFRESH_MS = 10 * 60_000;

/**
 * The newest finished runs of the last 30 days (at most {@link OVERVIEW_RUN_LIMIT}), as the overview's figures need
 * them, kept in memory: read from the history once, added to by every finish this instance makes or hears of from
 * the others, and read again every few minutes. The embedded FerretDB answers a read of the history by reading every
 * run (seconds at 100,000 runs), so the overview cannot ask the database on each request.
 */
export class FinishedRunsCache {
  #runs: FinishedRun[] | null = null;
  #truncated = false;
  #loading: Promise<void> | null = null;
  /** Finishes heard while a read of the history was under way: it may or may not have seen them. */
  #heardWhileLoading: FinishedRun[] = [];
  #loadedAt = 0;

  constructor(
    private readonly db: Db,
    private readonly onError: (err: unknown) => void = () => {},
  ) {}

  /** Adds a run that has just finished. */
  add(run: FinishedRun): void {
    if (this.#loading) this.#heardWhileLoading.push(run);
    if (!this.#runs) return;
    this.#runs.push(run);
    // Trimmed in steps, not one run at a time.
    if (this.#runs.length > OVERVIEW_RUN_LIMIT * 1.1) {
      this.#runs = this.#runs.slice(-OVERVIEW_RUN_LIMIT);
      this.#truncated = true;
    }
  }

  /** Starts the first read of the history without waiting for it. */
  warm(): void {
    void this.#load().catch(this.onError);
  }

  /** The finished runs, oldest first; the first call waits for the history to be read. */
  async snapshot(now = new Date()): Promise<{ runs: FinishedRun[]; truncated: boolean }> {
    if (!this.#runs) await this.#load();
    else if (now.getTime() - this.#loadedAt > CACHE_REFRESH_MS) void this.#load().catch(this.onError);
    const runs = this.#runs!;
    const cutoff = now.getTime() - LONGEST_WINDOW_MS;
    const first = runs.findIndex((r) => r.at.getTime() >= cutoff);
    return { runs: first <= 0 ? runs : runs.slice(first), truncated: this.#truncated };
  }

  #load(): Promise<void> {
    this.#loading ??= (async () => {
      this.#heardWhileLoading = [];
      const from = new Date(Date.now() - LONGEST_WINDOW_MS);
      const docs = await runs(this.db)
        .find(
          { queuedAt: { $gte: from }, status: { $in: ['succeeded', 'failed', 'interrupted', 'cancelled', 'skipped'] } },
          { projection: { _id: 1, connectorId: 1, status: 1, queuedAt: 1, finishedAt: 1, durationMs: 1 } },
        )
        .sort({ queuedAt: -1 })
        .limit(OVERVIEW_RUN_LIMIT + 1)
        .toArray();
      const truncated = docs.length > OVERVIEW_RUN_LIMIT;
      const loaded: FinishedRun[] = (truncated ? docs.slice(0, OVERVIEW_RUN_LIMIT) : docs).map((d) => ({
        id: d._id,
        connectorId: d.connectorId,
        status: d.status,
        at: d.finishedAt ?? d.queuedAt,
        durationMs: typeof d.durationMs === 'number' ? d.durationMs : null,
      }));
      const seen = new Set(loaded.map((r) => r.id));
      const missing = this.#heardWhileLoading.filter((r) => !r.id || !seen.has(r.id));
      this.#runs = [...loaded, ...missing].sort((a, b) => a.at.getTime() - b.at.getTime());
      this.#truncated = truncated;
      this.#loadedAt = Date.now();
    })().finally(() => {
      this.#loading = null;
      this.#heardWhileLoading = [];
    });
    return this.#loading;
  }
}
