import type { Db } from 'mongodb';
import type { z } from 'zod';
import type { HttpClient, HttpClientOptions } from '@/lib/http/client';
import type { LogLevel, RunCounts } from '@/lib/domain/run';
import type { Destination, DestinationOptions } from './destination';

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

/**
 * Incremental state of a connector (a cursor, an "updated since" time), kept between runs. A value passed to
 * `set` is saved only when the run succeeds; `commit` saves at once and is for connectors that have written
 * everything the value stands for. A failed or cancelled run never advances it past `commit`.
 */
export interface CheckpointStore {
  /** The latest value of this run (set or committed), else the one saved by the last successful run. */
  get<T = unknown>(): T | undefined;
  /** Remembers a value to save when the run succeeds. Must be JSON-serialisable. */
  set(value: unknown): void;
  /** Saves a value now (defaults to the last one set): only once the data before it is written. */
  commit(value?: unknown): Promise<void>;
}

/** What a connector's `run` receives. */
export interface RunContext<Config, Secrets = Record<string, string>> {
  runId: string;
  connectorId: string;
  config: Config;
  /** The connector's secrets, decrypted for this run only. Never log them: log lines are redacted, but only of these. */
  secrets: Secrets;
  /** Aborted when the run is cancelled, times out, or the server shuts down. */
  signal: AbortSignal;
  /** Reports progress; throttled into `sync:progress` events. */
  progress(done: number, total?: number, phase?: string): void;
  /** Lines go to the run log and to `sync:log` listeners (with secret values redacted). */
  log(level: LogLevel, message: string): void;
  /** This run's counters, starting from zero. */
  counts: RunCounts;
  /** Incremental state kept between runs. */
  checkpoint: CheckpointStore;
  /** An HTTP client bound to this run: stops with it, retries with backoff, logs its retries. */
  http(options?: HttpClientOptions): HttpClient;
  /** Upserts records into a collection of the Syncdeck database by key, counting created/updated/unchanged. */
  destination<T extends Record<string, unknown> = Record<string, unknown>>(collection: string, options?: DestinationOptions): Destination<T>;
  /** The Syncdeck database, for destinations that write to it. */
  db: Db;
}

/** A secret a configuration needs, and why (shown when it is missing). */
export interface RequiredSecret {
  name: string;
  why: string;
}

/** One kind of connector: its validated configuration and secrets, and how to run it. */
export interface ConnectorKind<Config, Secrets = Record<string, string>> {
  kind: string;
  title: string;
  description: string;
  configSchema: z.ZodType<Config>;
  /**
   * The secrets this kind accepts, by name (values are strings). Values given on create or update are checked
   * against it; issues are reported under `secrets.<name>`.
   */
  secretsSchema: z.ZodType<Partial<Secrets>>;
  /** Secrets that must be set for a configuration (e.g. a token when `auth.type` is bearer). */
  requiredSecrets?(config: Config): RequiredSecret[];
  run(ctx: RunContext<Config, Secrets>): Promise<void>;
}
