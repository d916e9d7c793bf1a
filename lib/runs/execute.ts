import type { Db } from 'mongodb';
import { recordRunOutcome } from '@/lib/connectors/figures';
import type { ConnectorDoc } from '@/lib/connectors/store';
import { createRunContext, openSecrets } from '@/lib/connectors/context';
import { SyncError } from '@/lib/connectors/kind';
import { getConnectorKind } from '@/lib/connectors/registry';
import type { Logger } from '@/lib/logger';
import type { Keyring } from '@/lib/secrets/keyring';
import { Redactor } from '@/lib/secrets/redact';
import type { LogLevel, RunError, RunStatus } from '@/lib/domain/run';
import type { EventBus } from '@/lib/runtime';
import { RUN_LOG_LIMIT, liveRuns, runs, updateRun, type LogLine, type RunDoc } from './store';

/** Timings of a run's lifecycle; tests and benchmarks shorten them. */
export interface ExecutorTimings {
  /** A running run's lease; another instance may declare it interrupted once this passes without renewal. */
  leaseMs: number;
  /** How often the lease is renewed (and the scheduler's job lock touched). */
  renewEveryMs: number;
  /** Minimum time between two `sync:progress` events of one run. */
  progressEveryMs: number;
  /** Minimum time between two writes of a running run's progress, counts and log. */
  persistEveryMs: number;
  /** How long a cancelled run may take to stop before it is abandoned and marked cancelled anyway. */
  cancelGraceMs: number;
}

export const defaultTimings: ExecutorTimings = {
  leaseMs: 30_000,
  renewEveryMs: 5000,
  progressEveryMs: 200,
  persistEveryMs: 1000,
  cancelGraceMs: 5000,
};

type StopReason = { kind: 'cancelled'; by: string } | { kind: 'timeout'; seconds: number } | { kind: 'shutdown' } | { kind: 'lease-lost'; why: string };

interface Active {
  run: RunDoc;
  controller: AbortController;
  stop?: StopReason;
  abandon: () => void;
  /** The latest progress write; the final write waits for it so older figures never land last. */
  persisting: Promise<unknown>;
  /**
   * The latest lease renewal; the final write waits for it too. On the embedded FerretDB an update rewrites the
   * whole document it read, so two writes of one run at once can lose one: the run's writes go one after another.
   */
  renewing: Promise<unknown>;
}

/**
 * Runs connectors for one server instance: records each transition of a run, emits its events, keeps its
 * lease alive, and enforces timeout and cancellation. The run document must exist (claimed) before `execute`.
 */
export class RunExecutor {
  readonly #active = new Map<string, Active>();
  /** Runs past their work whose final record is being written. */
  #finishing = 0;

  constructor(
    private readonly deps: {
      db: Db;
      bus: EventBus;
      logger: Logger;
      instanceId: string;
      timings?: Partial<ExecutorTimings>;
      /** Decrypts connector secrets for runs; a connector with secrets fails (config) without it. */
      keyring?: Keyring;
    },
  ) {}

  get timings(): ExecutorTimings {
    return { ...defaultTimings, ...this.deps.timings };
  }

  /** Number of runs going in this instance. */
  get running(): number {
    return this.#active.size;
  }

  isRunningHere(runId: string): boolean {
    return this.#active.has(runId);
  }

  /** Asks a run of this instance to stop; false when it is not running here. */
  cancel(runId: string, by: string): boolean {
    const active = this.#active.get(runId);
    if (!active) return false;
    this.#stop(active, { kind: 'cancelled', by });
    return true;
  }

  /** Stops every run of this instance (shutdown); they end as interrupted. */
  abortAll(): void {
    for (const active of this.#active.values()) this.#stop(active, { kind: 'shutdown' });
  }

  /** Resolves once no run is going here (their final records written), or after `timeoutMs`. */
  async idle(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.#active.size > 0 || this.#finishing > 0) {
      if (Date.now() > deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return true;
  }

  #stop(active: Active, reason: StopReason) {
    if (active.stop) return;
    active.stop = reason;
    active.controller.abort(reason);
    setTimeout(active.abandon, this.timings.cancelGraceMs).unref();
  }

  /**
   * Executes a claimed run to its end and returns the finished run. Never throws for connector failures. A run
   * claimed as running already (a slot claimed on time, its start in the claim) keeps its start time.
   * `connectorWrite`: a write to the connector's document under way; the run's outcome is written to that document
   * only after it, as two writes of one document at once can lose one on the embedded FerretDB.
   */
  async execute(claimed: RunDoc, connector: ConnectorDoc, keepAlive?: () => Promise<void>, connectorWrite?: Promise<unknown>): Promise<RunDoc> {
    const { db, bus, logger, instanceId } = this.deps;
    const t = this.timings;
    const startedHere = claimed.status === 'running' && claimed.startedAt !== undefined && claimed.instanceId === instanceId;
    const startedAt = startedHere ? claimed.startedAt! : new Date();
    const run: RunDoc = { ...claimed, status: 'running', startedAt, instanceId, leaseUntil: claimed.leaseUntil && startedHere ? claimed.leaseUntil : new Date(startedAt.getTime() + t.leaseMs) };
    const ids = { runId: run._id, connectorId: run.connectorId };
    if (!startedHere) await updateRun({ db, id: run._id, set: { status: 'running', startedAt, instanceId, leaseUntil: run.leaseUntil } });
    bus.emit('sync:start', { ...ids, trigger: run.trigger, initiatedBy: run.initiatedBy, startedAt: startedAt.toISOString() });

    const controller = new AbortController();
    let abandon!: () => void;
    const abandoned = new Promise<'abandoned'>((resolve) => (abandon = () => resolve('abandoned')));
    const active: Active = { run, controller, abandon, persisting: Promise.resolve(), renewing: Promise.resolve() };
    this.#active.set(run._id, active);

    const log: LogLine[] = [];
    // Every line, phase and error message passes through it before it is stored or emitted.
    let redactor = new Redactor();
    let lastEmit = 0;
    let lastPersist = 0;
    let trailing: NodeJS.Timeout | undefined;
    const persist = () => {
      lastPersist = Date.now();
      const set = { counts: { ...run.counts }, progress: run.progress, log: [...log] };
      active.persisting = active.persisting
        .then(() => updateRun({ db, id: run._id, set }))
        .catch((err) => logger.warn({ err, runId: run._id }, 'could not save run progress'));
    };
    const emitProgress = () => {
      trailing = undefined;
      lastEmit = Date.now();
      bus.emit('sync:progress', { ...ids, ...run.progress!, counts: { ...run.counts }, at: new Date().toISOString() });
      if (Date.now() - lastPersist >= t.persistEveryMs) persist();
    };
    const writeLog = (level: LogLevel, raw: string) => {
      const message = redactor.redact(raw);
      const at = new Date();
      log.push({ at, level, message });
      if (log.length > RUN_LOG_LIMIT) log.shift();
      bus.emit('sync:log', { ...ids, at: at.toISOString(), level, message });
    };

    // Fencing: a run whose lease could not be renewed for nearly its whole length (the database unreachable), or
    // whose live copy is gone (another instance declared it interrupted and runs it again), stops here, so a slot's
    // work never goes on in two places.
    let heldUntil = run.leaseUntil!.getTime();
    const renew = setInterval(() => {
      const leaseUntil = new Date(Date.now() + t.leaseMs);
      if (Date.now() > heldUntil - t.renewEveryMs) this.#stop(active, { kind: 'lease-lost', why: 'its lease could not be renewed' });
      // The live copy holds the lease others check. The record is only read, for a cancel asked on another
      // instance: writing to it here could undo the final write (see `renewing`).
      active.renewing = liveRuns(db)
        .updateOne({ _id: run._id }, { $set: { leaseUntil } })
        .then(({ matchedCount }) => {
          if (matchedCount === 0) this.#stop(active, { kind: 'lease-lost', why: 'another instance declared it interrupted' });
          else heldUntil = Math.max(heldUntil, leaseUntil.getTime());
        })
        .then(() => runs(db).findOne({ _id: run._id }, { projection: { cancelRequestedBy: 1 } }))
        .then((doc) => doc?.cancelRequestedBy && this.#stop(active, { kind: 'cancelled', by: doc.cancelRequestedBy }))
        .catch((err) => logger.warn({ err, runId: run._id }, 'lease renewal failed'));
      void keepAlive?.().catch((err) => logger.warn({ err, runId: run._id }, 'job lock renewal failed'));
    }, t.renewEveryMs);
    const timeoutS = connector.policies.timeoutSeconds;
    const timer = setTimeout(() => this.#stop(active, { kind: 'timeout', seconds: timeoutS }), timeoutS * 1000);

    let status: RunStatus = 'succeeded';
    let error: RunError | undefined;
    try {
      const kind = getConnectorKind(connector.kind);
      if (!kind) throw new SyncError('config', `unknown connector kind "${connector.kind}"`);
      const config = kind.configSchema.safeParse(connector.config);
      if (!config.success) throw new SyncError('config', `invalid configuration: ${config.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      writeLog('info', `${run.trigger} run started by ${run.initiatedBy}`);
      const opened = openSecrets(connector, this.deps.keyring);
      redactor = opened.redactor;
      const { ctx, finish: saveCheckpoint } = await createRunContext({
        ...ids,
        db,
        config: config.data,
        secrets: opened.secrets,
        signal: controller.signal,
        counts: run.counts,
        log: writeLog,
        progress: (done, total, phase) => {
          const shownPhase = phase === undefined ? undefined : redactor.redact(phase);
          run.progress = { done, ...(total === undefined ? {} : { total }), ...(shownPhase === undefined ? {} : { phase: shownPhase }) };
          const wait = t.progressEveryMs - (Date.now() - lastEmit);
          if (wait <= 0) emitProgress();
          else trailing ??= setTimeout(emitProgress, wait);
        },
      });
      const work = kind.run(ctx);
      if ((await Promise.race([work, abandoned])) === 'abandoned') {
        writeLog('warn', `connector did not stop within ${t.cancelGraceMs} ms; abandoned`);
      }
      if (active.stop) throw new SyncError('cancelled', 'stopped');
      // Only a run that succeeded advances the checkpoint.
      await saveCheckpoint();
    } catch (caught) {
      ({ status, error } = this.#outcome(active.stop, caught, redactor));
      writeLog(status === 'failed' ? 'error' : 'warn', `${status}: ${error.message}`);
    } finally {
      clearInterval(renew);
      clearTimeout(timer);
      clearTimeout(trailing);
      this.#active.delete(run._id);
      this.#finishing++;
    }
    try {
      await connectorWrite;
      return await this.#finish(run, active, log, startedAt, status, error);
    } finally {
      this.#finishing--;
    }
  }

  async #finish(run: RunDoc, active: Active, log: LogLine[], startedAt: Date, status: RunStatus, error: RunError | undefined): Promise<RunDoc> {
    const { db, bus, logger } = this.deps;
    const ids = { runId: run._id, connectorId: run.connectorId };

    const finishedAt = new Date();
    const durationMs = finishedAt.getTime() - startedAt.getTime();
    const cancelledBy = active.stop?.kind === 'cancelled' ? active.stop.by : undefined;
    Object.assign(run, { status, finishedAt, durationMs, error, cancelledBy, log });
    if (run.progress) bus.emit('sync:progress', { ...ids, ...run.progress, counts: { ...run.counts }, at: new Date().toISOString() });
    await Promise.all([active.persisting, active.renewing]);
    try {
      // Only over a record still running: one declared interrupted meanwhile (this instance was taken for dead)
      // stays so, and its re-run elsewhere is the slot's attempt that counts.
      const landed = await updateRun({
        db,
        id: run._id,
        set: { status, finishedAt, durationMs, counts: run.counts, progress: run.progress, log, leaseUntil: finishedAt, ...(error ? { error } : {}), ...(cancelledBy ? { cancelledBy } : {}) },
        ifStatus: 'running',
      });
      if (!landed) {
        logger.warn({ runId: run._id, status }, 'run was declared interrupted by another instance while it ran here; its outcome is not recorded');
        return { ...run, status: 'interrupted', error: { kind: 'interrupted', message: 'declared interrupted by another instance' } };
      }
    } catch (err) {
      logger.error({ err, runId: run._id }, 'could not record the end of a run; its lease will expire and mark it interrupted');
    }
    // The run's own record is what counts; a failure to update the connector's figures must not hide the finish.
    const ended: RunDoc = { ...run, status, finishedAt, durationMs, counts: { ...run.counts }, log: [], leaseUntil: finishedAt, ...(error ? { error } : {}), ...(cancelledBy ? { cancelledBy } : {}) };
    await recordRunOutcome({ db, connectorId: run.connectorId, runId: run._id, status, at: finishedAt, error, run: ended }).catch((err) =>
      logger.error({ err, runId: run._id }, 'could not update the connector figures'),
    );
    bus.emit('sync:finish', { ...ids, status, finishedAt: finishedAt.toISOString(), durationMs, counts: { ...run.counts }, ...(error ? { error } : {}) });
    logger.info({ runId: run._id, status, durationMs, counts: run.counts, error }, 'run finished');
    return run;
  }

  /** Decides a failed run's status from why it was stopped (if it was) and what it threw. */
  #outcome(stop: StopReason | undefined, caught: unknown, redactor: Redactor): { status: RunStatus; error: RunError } {
    if (stop?.kind === 'cancelled') return { status: 'cancelled', error: { kind: 'cancelled', message: `cancelled by ${stop.by}` } };
    if (stop?.kind === 'timeout') return { status: 'failed', error: { kind: 'timeout', message: `timed out after ${stop.seconds} s` } };
    if (stop?.kind === 'shutdown') return { status: 'interrupted', error: { kind: 'interrupted', message: 'the server shut down during the run' } };
    if (stop?.kind === 'lease-lost') return { status: 'interrupted', error: { kind: 'interrupted', message: `stopped: ${stop.why}` } };
    if (caught instanceof SyncError) return { status: 'failed', error: { kind: caught.kind, message: redactor.redact(caught.message) } };
    const message = redactor.redact(caught instanceof Error ? caught.message : String(caught));
    // Logged without the error object: its stack and properties could hold a secret the redactor cannot see there.
    this.deps.logger.error({ err: { message, name: (caught as Error)?.name } }, 'connector threw an unexpected error');
    return { status: 'failed', error: { kind: 'internal', message } };
  }
}
