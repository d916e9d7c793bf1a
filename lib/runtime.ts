import { EventEmitter } from 'node:events';
import type { Db } from 'mongodb';
import type { Config } from './env';
import type { Logger } from './logger';
import type { ServerEventName, ServerEventPayload } from './realtime/events';
import type { Actor } from './auth/actor';
import type { SchedulerState } from './scheduling/state';
import type { FinishedRunsCache } from './overview-stats';

/** What the running server offers to code bundled by Next (route handlers, server components). */
export interface SchedulerControl {
  /** Queues a manual run and returns its id at once. */
  runNow(connectorId: string, actor: Actor): Promise<{ runId: string }>;
  /** Resolves with the run once it has finished (or the timeout passed). */
  waitForRun(runId: string, timeoutMs: number): Promise<void>;
  /** Asks a running run to stop. Resolves false when it was not running here or anywhere. */
  cancel(runId: string, actor: Actor): Promise<boolean>;
  /** Re-reads a connector's schedules and (re)plans its jobs. */
  reschedule(connectorId: string): Promise<void>;
  nextRunAt(connectorId: string): Promise<Date | null>;
  /** Pauses or resumes scheduled runs on every instance; persisted across restarts. */
  pause(actor: Actor): Promise<SchedulerState>;
  resume(actor: Actor): Promise<SchedulerState>;
  state(): SchedulerState;
  isPaused(): boolean;
  runningRuns(): number;
}

/** Typed broadcast bus from the domain (runner, scheduler, heartbeat) to Socket.IO. */
export class EventBus {
  readonly #emitter = new EventEmitter().setMaxListeners(100);

  emit<E extends ServerEventName>(event: E, payload: ServerEventPayload<E>): void {
    this.#emitter.emit('event', event, payload);
  }

  /** Listens to every event; returns the function that stops listening. */
  onAny(listener: <E extends ServerEventName>(event: E, payload: ServerEventPayload<E>) => void): () => void {
    this.#emitter.on('event', listener);
    return () => this.#emitter.off('event', listener);
  }
}

/** `degraded`: the database is slow or stalled (a ping went unanswered); `down`: it cannot be reached at all. */
export type DatabaseStatus = 'ok' | 'degraded' | 'down';
export type DatabaseProblem = 'timeout' | 'unreachable' | 'restarting' | 'failed' | 'error';

/** The database's health as the instance last saw it (kept up to date in the background). */
export interface DatabaseState {
  status: DatabaseStatus;
  /** Since when the status holds. */
  since: Date;
  /** Round trip of the last answered ping, null when the last one failed. */
  latencyMs: number | null;
  /** What is wrong, when the status is not ok: a fixed code and a sentence without addresses or internals. */
  problem?: DatabaseProblem;
  error?: string;
}

export interface Runtime {
  config: Config;
  db: Db;
  logger: Logger;
  instanceId: string;
  startedAt: Date;
  bus: EventBus;
  scheduler: SchedulerControl;
  /** The finished runs behind the overview's figures, kept in memory. */
  finishedRuns: FinishedRunsCache;
  /** The database's health in the heartbeat's shape, from the held state (answers at once). */
  dbHealth(): Promise<{ ok: boolean; latencyMs: number | null }>;
  /** The database's health as held by the background pinger; never waits on the database. */
  databaseState(): DatabaseState;
}

const KEY = Symbol.for('syncdeck.runtime');
type Global = typeof globalThis & { [KEY]?: Runtime };

/**
 * The server process registers its long-lived parts here once. Next bundles `lib/` separately from the custom
 * server, so module-level singletons would be duplicated; the process-wide global is the one shared place.
 */
export function setRuntime(runtime: Runtime | undefined): void {
  (globalThis as Global)[KEY] = runtime;
}

/** The runtime if the server has started, else undefined (for code that also runs outside the server, e.g. the CLI). */
export function peekRuntime(): Runtime | undefined {
  return (globalThis as Global)[KEY];
}

export function getRuntime(): Runtime {
  const runtime = (globalThis as Global)[KEY];
  if (!runtime) throw new Error('Syncdeck runtime is not started: run the app through the Syncdeck server (npm start or npm run dev)');
  return runtime;
}
