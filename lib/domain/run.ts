/** A run of a connector as the domain knows it: why it started, where it stands, what it counted, how it failed. */

/** Why a run started, in the order filters list them. */
export const runTriggers = ['scheduled', 'manual', 'retry', 'catch-up'] as const;
export type RunTrigger = (typeof runTriggers)[number];
/** Where a run stands, in the order filters list them. */
export const runStatuses = ['queued', 'running', 'succeeded', 'failed', 'cancelled', 'skipped', 'interrupted'] as const;
export type RunStatus = (typeof runStatuses)[number];
export const finishedStatuses = ['succeeded', 'failed', 'cancelled', 'skipped', 'interrupted'] as const satisfies RunStatus[];

/** Per-run record counts; fresh for every run, never accumulated. */
export interface RunCounts {
  fetched: number;
  created: number;
  updated: number;
  unchanged: number;
  skipped: number;
  failed: number;
}

export const emptyCounts = (): RunCounts => ({ fetched: 0, created: 0, updated: 0, unchanged: 0, skipped: 0, failed: 0 });

export interface RunError {
  /** Error class: auth, rate-limited, network, timeout, upstream, bad-data, cancelled, internal. */
  kind: string;
  message: string;
}

/** Level of a line in a run's log. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
