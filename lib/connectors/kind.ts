import type { Db } from 'mongodb';
import type { z } from 'zod';
import type { LogLevel, RunCounts } from '@/lib/realtime/events';

/** How a failure is classified in run records and the UI. */
export type ErrorKind = 'auth' | 'rate-limited' | 'network' | 'timeout' | 'upstream' | 'bad-data' | 'cancelled' | 'config' | 'internal';

/** A failure a connector understands: its kind decides how it is shown and whether a retry may help. */
export class SyncError extends Error {
  override name = 'SyncError';
  constructor(
    readonly kind: ErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** What a connector's `run` receives. */
export interface RunContext<Config> {
  runId: string;
  connectorId: string;
  config: Config;
  /** Aborted when the run is cancelled, times out, or the server shuts down. */
  signal: AbortSignal;
  /** Reports progress; throttled into `sync:progress` events. */
  progress(done: number, total?: number, phase?: string): void;
  /** Lines go to the run log and to `sync:log` listeners. */
  log(level: LogLevel, message: string): void;
  /** This run's counters, starting from zero. */
  counts: RunCounts;
  /** The Syncdeck database, for destinations that write to it. */
  db: Db;
}

/** One kind of connector: its validated configuration and how to run it. */
export interface ConnectorKind<Config> {
  kind: string;
  title: string;
  description: string;
  configSchema: z.ZodType<Config>;
  run(ctx: RunContext<Config>): Promise<void>;
}
