import type { MongoClient } from 'mongodb';
import type { LoggerOptions } from 'pino';
import type { Logger } from '@/lib/logger';
import type { DatabaseProblem, DatabaseState, DatabaseStatus } from '@/lib/runtime';
import type { LocalDatabaseState } from './embedded-db';

/** How often the database is pinged, and how long a ping may take before the database counts as degraded. */
export const PING_INTERVAL_MS = 1000;
export const PING_TIMEOUT_MS = 2000;

/** Errors that mean nothing answers at the database's address at all (as opposed to a slow or stalled server). */
const UNREACHABLE = /ECONNREFUSED|ENOENT|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EACCES|ECONNRESET/;

/** Classifies a failed ping: nothing listening is `unreachable` (down), a ping without answer a `timeout`. */
export function problemOf(error: unknown): DatabaseProblem {
  const messages: string[] = [];
  for (let e = error as { message?: string; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (typeof e.message === 'string') messages.push(e.message);
  }
  const text = messages.join(' ');
  if (UNREACHABLE.test(text)) return 'unreachable';
  if (/tim(ed|e)\s?out/i.test(text)) return 'timeout';
  return 'error';
}

/** Driver errors that only say the database cannot be reached or did not answer in time. */
const CONNECTIVITY_ERRORS = new Set([
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoServerSelectionError',
  'MongoPoolClearedError',
  'PoolClearedOnNetworkError',
  'MongoWaitQueueTimeoutError',
  'MongoServerClosedError',
  'MongoTopologyClosedError',
  'MongoOperationTimeoutError',
]);

function isConnectivityError(value: unknown): boolean {
  for (let e = value as { name?: unknown; cause?: unknown } | undefined, depth = 0; e && typeof e === 'object' && depth < 5; e = e.cause as typeof e, depth++) {
    if (typeof e.name === 'string' && CONNECTIVITY_ERRORS.has(e.name)) return true;
  }
  return false;
}

/**
 * While the database is known to be degraded or down, every part that touches it fails the same way, several
 * times a second (the scheduler's polls, lease renewals, the relay). This gate, installed as the logger's
 * `logMethod` hook, holds back warnings and errors whose `err` is only such a connectivity error while the monitor
 * says the database is not ok, and counts them by message; the monitor's next state-change line reports the counts.
 * So an outage is logged once when it starts and once when it ends, not a hundred times a minute.
 */
export class DatabaseErrorGate {
  #closed = false;
  #held = new Map<string, number>();

  /** The pino hook; pass it as `hooks: { logMethod: gate.hook }`. Pino calls it with the logger as `this`. */
  readonly hook: NonNullable<NonNullable<LoggerOptions['hooks']>['logMethod']>;

  constructor() {
    const held = this.#held;
    const isClosed = () => this.#closed;
    this.hook = function (args, method, level) {
      if (isClosed() && level >= 40) {
        const [first, second] = args as unknown[];
        const err = first instanceof Error ? first : (first as { err?: unknown } | undefined)?.err;
        if (isConnectivityError(err)) {
          const message = typeof second === 'string' ? second : first instanceof Error ? first.message : 'database error';
          held.set(message, (held.get(message) ?? 0) + 1);
          return;
        }
      }
      method.apply(this, args);
    };
  }

  /** Opens or closes the gate, and returns what it held back since the last call. */
  set(closed: boolean): Record<string, number> | undefined {
    this.#closed = closed;
    if (!this.#held.size) return undefined;
    const held = Object.fromEntries(this.#held);
    this.#held.clear();
    return held;
  }
}

/**
 * Keeps the database's health as state the instance already holds, so `/api/health` and the heartbeat read it
 * at once instead of waiting on a database that may be stalled. A background pinger with its own connection (not
 * queued behind the application's pool) pings every {@link PING_INTERVAL_MS}; a ping unanswered after
 * {@link PING_TIMEOUT_MS} makes the state `degraded`, a database that cannot be reached (or an embedded database
 * being restarted) `down`. Each change of state is logged once.
 */
export class DatabaseMonitor {
  readonly #client: MongoClient;
  readonly #dbName: string;
  readonly #logger: Logger;
  readonly #gate: DatabaseErrorGate | undefined;
  #status: DatabaseStatus = 'ok';
  #problem: DatabaseProblem | undefined;
  #since = new Date();
  #latencyMs: number | null = null;
  #local: LocalDatabaseState = 'running';
  #pingStartedAt: number | null = null;
  #pinging: Promise<void> = Promise.resolve();
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;

  /**
   * `client` is the monitor's own (one connection, short timeouts); the monitor closes it on stop. `gate`, when
   * given, is closed while the database is not ok (see {@link DatabaseErrorGate}).
   */
  constructor(options: { client: MongoClient; dbName: string; logger: Logger; gate?: DatabaseErrorGate }) {
    this.#client = options.client;
    this.#dbName = options.dbName;
    this.#logger = options.logger;
    this.#gate = options.gate;
  }


  start(): void {
    if (this.#timer || this.#stopped) return;
    this.#timer = setInterval(() => this.#tick(), PING_INTERVAL_MS);
    this.#timer.unref();
    this.#tick();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#timer);
    await this.#pinging;
    await this.#client.close().catch(() => undefined);
    const heldBack = this.#gate?.set(false);
    if (heldBack) this.#logger.warn({ heldBack }, 'database errors held back while the database was not ok');
  }

  /** The current state; never waits. */
  state(): DatabaseState {
    this.#noteOverdue();
    const problem = this.#problem;
    return { status: this.#status, since: this.#since, latencyMs: this.#latencyMs, ...(problem ? { problem, error: describeProblem(problem) } : {}) };
  }

  /** What the local database's supervisor reports: a restart in progress or given up is `down` at once. */
  noteLocal(state: LocalDatabaseState): void {
    this.#local = state;
    if (state === 'restarting') this.#set('down', 'restarting');
    else if (state === 'failed') this.#set('down', 'failed');
    else this.#tick();
  }

  #tick(): void {
    if (this.#stopped) return;
    this.#noteOverdue();
    if (this.#pingStartedAt !== null) return;
    const started = performance.now();
    this.#pingStartedAt = Date.now();
    this.#pinging = this.#client
      .db(this.#dbName)
      .command({ ping: 1 }, { timeoutMS: PING_TIMEOUT_MS })
      .then(
        () => {
          this.#latencyMs = Math.round((performance.now() - started) * 10) / 10;
          if (this.#local === 'running') this.#set('ok');
        },
        (error: unknown) => {
          this.#latencyMs = null;
          if (this.#local !== 'running') return;
          const problem = problemOf(error);
          this.#set(problem === 'unreachable' ? 'down' : 'degraded', problem);
        },
      )
      .finally(() => {
        this.#pingStartedAt = null;
      });
  }

  /** A ping that is still out after the timeout already tells: the database is not answering. */
  #noteOverdue(): void {
    if (this.#pingStartedAt === null || this.#status !== 'ok') return;
    if (Date.now() - this.#pingStartedAt >= PING_TIMEOUT_MS) this.#set('degraded', 'timeout', new Date(this.#pingStartedAt));
  }

  #set(status: DatabaseStatus, problem?: DatabaseProblem, since = new Date()): void {
    if (status === this.#status && problem === this.#problem) return;
    const was = { status: this.#status, problem: this.#problem, forMs: since.getTime() - this.#since.getTime() };
    const changed = status !== this.#status;
    this.#status = status;
    this.#problem = problem;
    if (changed) this.#since = since;
    if (this.#stopped) return;
    const heldBack = this.#gate?.set(status !== 'ok');
    const fields = { was, ...(heldBack ? { heldBack } : {}) };
    if (status === 'ok') this.#logger[heldBack ? 'warn' : 'info'](fields, 'database answers again');
    else if (status === 'degraded') this.#logger.warn({ problem, ...fields }, `database degraded: ${describeProblem(problem!)}`);
    else this.#logger.error({ problem, ...fields }, `database down: ${describeProblem(problem!)}`);
  }
}

/** The words `/api/health` and the log use for each problem: fixed text, no addresses or driver internals. */
export function describeProblem(problem: DatabaseProblem): string {
  switch (problem) {
    case 'timeout':
      return `no answer within ${PING_TIMEOUT_MS / 1000} s`;
    case 'unreachable':
      return 'cannot connect';
    case 'restarting':
      return 'the embedded database exited and is being restarted';
    case 'failed':
      return 'the embedded database could not be restarted';
    case 'error':
      return 'the database answered with an error';
  }
}
