import { Agenda, InMemoryNotificationChannel, type Job } from 'agenda';
import { MongoBackend } from '@agendajs/mongo-backend';
import { ObjectId, type Db } from 'mongodb';
import { actorLabel, type Actor } from '@/lib/auth/actor';
import { getConnector, listConnectors, recordRunOutcome, type ConnectorDoc } from '@/lib/connectors/store';
import type { Logger } from '@/lib/logger';
import { finishedStatuses } from '@/lib/realtime/events';
import type { EventBus, SchedulerControl } from '@/lib/runtime';
import { RunExecutor } from '@/lib/runs/execute';
import { findActiveRun, getRun, insertRun, interruptExpiredRuns, newRunDoc, slotRunId, type RunDoc } from '@/lib/runs/store';
import { nextRunOf } from '@/lib/connectors/status';
import { nextSlot } from '@/lib/scheduling/schedule';

/** Job names: one per slot of a schedule, one per queued (manual) run. */
const SLOT_JOB = 'sync.slot';
const RUN_JOB = 'sync.run';

interface SlotJobData {
  connectorId: string;
  scheduleId: string;
  /** ISO time of the slot this job stands for. */
  slot: string;
}
interface RunJobData {
  runId: string;
}

/** A slot started later than this is recorded as a catch-up (the server was down or busy at the time). */
const CATCH_UP_AFTER_MS = 60_000;

export class RunConflictError extends Error {
  override name = 'RunConflictError';
}

export interface SchedulerOptions {
  db: Db;
  bus: EventBus;
  logger: Logger;
  instanceId: string;
  /** How often Agenda polls for due jobs. */
  pollMs: number;
  executor?: RunExecutor;
}

/**
 * Syncdeck's scheduler on top of Agenda: each enabled schedule always has one Agenda job waiting for its next
 * slot; the job, when due, plans the following slot and then claims its run by inserting the run's deterministic
 * id. Claims are what make a slot run exactly once, even where Agenda's own job lock is not atomic (FerretDB).
 */
export class Scheduler implements SchedulerControl {
  readonly agenda: Agenda;
  readonly executor: RunExecutor;
  readonly #claims;
  #maintenance?: NodeJS.Timeout;

  constructor(private readonly options: SchedulerOptions) {
    const { db, logger, instanceId } = options;
    this.executor = options.executor ?? new RunExecutor({ db, bus: options.bus, logger, instanceId });
    this.#claims = db.collection<{ _id: string; instanceId: string; at: Date }>('runClaims');
    this.agenda = new Agenda({
      backend: new MongoBackend({ mongo: db, collection: 'agendaJobs' }),
      notificationChannel: new InMemoryNotificationChannel(),
      name: instanceId,
      processEvery: options.pollMs,
      maxConcurrency: 50,
      defaultConcurrency: 20,
      defaultLockLifetime: 60_000,
    });
    this.agenda.on('error', (err: unknown) => logger.error({ err }, 'scheduler error'));
    this.agenda.on('fail', (err: unknown, job: Job) => logger.error({ err, job: job.attrs.name, data: job.attrs.data }, 'scheduler job failed'));

    this.agenda.define<SlotJobData>(SLOT_JOB, (job) => this.#onSlot(job), {
      concurrency: 50,
      lockLifetime: 60_000,
      removeOnComplete: true,
    });
    this.agenda.define<RunJobData>(RUN_JOB, (job) => this.#onQueuedRun(job), {
      concurrency: 50,
      lockLifetime: 60_000,
      removeOnComplete: true,
    });
  }

  async start(): Promise<void> {
    await this.#recoverInterrupted();
    await this.agenda.start();
    for (const connector of await listConnectors({ db: this.options.db })) await this.#plan(connector);
    this.#maintenance = setInterval(() => void this.#recoverInterrupted(), this.executor.timings.renewEveryMs);
    this.#maintenance.unref();
  }

  /**
   * Drains: stops taking new jobs, waits up to `timeoutMs` for running syncs, then interrupts what is left
   * and records it as interrupted so nothing stays marked running.
   */
  async stop(timeoutMs: number): Promise<void> {
    clearInterval(this.#maintenance);
    const result = await this.agenda.drain(timeoutMs);
    if (result.timedOut || this.executor.running > 0) {
      this.options.logger.warn({ running: this.executor.running }, 'shutdown timeout reached; interrupting running syncs');
      this.executor.abortAll();
      await this.executor.idle(this.executor.timings.cancelGraceMs + 5000);
      await this.agenda.stop();
    }
  }

  isPaused(): boolean {
    return false;
  }

  runningRuns(): number {
    return this.executor.running;
  }

  async nextRunAt(connectorId: string): Promise<Date | null> {
    const connector = await getConnector({ db: this.options.db, id: connectorId });
    return connector ? nextRunOf(connector, new Date()) : null;
  }

  async reschedule(connectorId: string): Promise<void> {
    await this.agenda.cancel({ name: SLOT_JOB, data: { connectorId } } as never);
    const connector = await getConnector({ db: this.options.db, id: connectorId });
    if (connector) await this.#plan(connector);
  }

  async runNow(connectorId: string, actor: Actor): Promise<{ runId: string }> {
    const { db } = this.options;
    const active = await findActiveRun({ db, connectorId });
    if (active) throw new RunConflictError(`connector ${connectorId} is already running (run ${active._id})`);
    const runId = `${connectorId}:manual:${new ObjectId().toHexString()}`;
    await insertRun({
      db,
      run: newRunDoc({ _id: runId, connectorId, trigger: 'manual', initiatedBy: actorLabel(actor), status: 'queued', leaseUntil: new Date(Date.now() + 120_000) }),
    });
    await this.agenda.now<RunJobData>(RUN_JOB, { runId });
    return { runId };
  }

  async waitForRun(runId: string, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    await new Promise<void>((resolve) => {
      const done = () => {
        off();
        clearInterval(poll);
        clearTimeout(timer);
        resolve();
      };
      const off = this.options.bus.onAny((event, payload) => {
        if (event === 'sync:finish' && (payload as { runId: string }).runId === runId) done();
      });
      // Runs taken by another instance finish without an event here; the database tells.
      const poll = setInterval(async () => {
        const run = await getRun({ db: this.options.db, id: runId });
        if (!run || (finishedStatuses as readonly string[]).includes(run.status) || Date.now() > deadline) done();
      }, 1000);
      const timer = setTimeout(done, timeoutMs);
    });
  }

  async cancel(runId: string, actor: Actor): Promise<boolean> {
    return this.executor.cancel(runId, actorLabel(actor));
  }

  /** Makes sure every enabled schedule of a connector has a job waiting for its next slot. */
  async #plan(connector: ConnectorDoc, after = new Date()): Promise<void> {
    if (!connector.enabled) return;
    for (const schedule of connector.schedules) {
      if (!schedule.enabled) continue;
      await this.#planSlot(connector._id, schedule.id, nextSlot(schedule, after));
    }
  }

  async #planSlot(connectorId: string, scheduleId: string, slot: Date): Promise<void> {
    await this.agenda
      .create<SlotJobData>(SLOT_JOB, { connectorId, scheduleId, slot: slot.toISOString() })
      .unique({ 'data.connectorId': connectorId, 'data.scheduleId': scheduleId, 'data.slot': slot.toISOString() }, { insertOnly: true })
      .schedule(slot)
      .save();
  }

  async #onSlot(job: Job<SlotJobData>): Promise<void> {
    const { db, bus } = this.options;
    const { connectorId, scheduleId } = job.attrs.data;
    const slot = new Date(job.attrs.data.slot);
    const connector = await getConnector({ db, id: connectorId });
    const schedule = connector?.schedules.find((s) => s.id === scheduleId);
    if (!connector || !connector.enabled || !schedule?.enabled) return;
    // Plan the following slot first, so a crash during the run cannot break the chain.
    await this.#planSlot(connectorId, scheduleId, nextSlot(schedule, new Date(Math.max(Date.now(), slot.getTime()))));

    const runId = slotRunId(connectorId, scheduleId, slot);
    const late = Date.now() - slot.getTime() > CATCH_UP_AFTER_MS;
    const base = { _id: runId, connectorId, scheduleId, slot, trigger: late ? ('catch-up' as const) : ('scheduled' as const), initiatedBy: 'scheduler' };
    const active = await findActiveRun({ db, connectorId });
    if (active) {
      const skipped = newRunDoc({ ...base, status: 'skipped', reason: `previous run ${active._id} was still ${active.status}`, finishedAt: new Date(), durationMs: 0 });
      if (await insertRun({ db, run: skipped })) {
        bus.emit('sync:finish', { runId, connectorId, status: 'skipped', finishedAt: skipped.finishedAt!.toISOString(), durationMs: 0, counts: skipped.counts });
      }
      return;
    }
    const run = newRunDoc({ ...base, status: 'queued', instanceId: this.options.instanceId, leaseUntil: new Date(Date.now() + this.executor.timings.leaseMs) });
    if (!(await insertRun({ db, run }))) return; // claimed by another instance
    await this.executor.execute(run, connector, () => job.touch());
  }

  async #onQueuedRun(job: Job<RunJobData>): Promise<void> {
    const { db, instanceId } = this.options;
    const run = await getRun({ db, id: job.attrs.data.runId });
    if (!run || run.status !== 'queued') return;
    try {
      await this.#claims.insertOne({ _id: run._id, instanceId, at: new Date() });
    } catch (error) {
      if ((error as { code?: number }).code === 11000) return; // another instance has it
      throw error;
    }
    const connector = await getConnector({ db, id: run.connectorId });
    if (!connector) return;
    await this.executor.execute(run, connector, () => job.touch());
  }

  /** Declares runs whose process died interrupted, folds them into their connectors' figures, and tells listeners. */
  async #recoverInterrupted(): Promise<void> {
    const { db, bus, logger } = this.options;
    try {
      for (const run of await interruptExpiredRuns({ db, now: new Date() })) {
        await recordRunOutcome({ db, connectorId: run.connectorId, runId: run._id, status: 'interrupted', at: run.finishedAt!, error: run.error });
        bus.emit('sync:finish', finishEvent(run));
        logger.warn({ runId: run._id }, 'run marked interrupted: its server process stopped responding');
      }
    } catch (err) {
      logger.warn({ err }, 'could not check for interrupted runs');
    }
  }
}

function finishEvent(run: RunDoc) {
  return {
    runId: run._id,
    connectorId: run.connectorId,
    status: run.status,
    finishedAt: (run.finishedAt ?? new Date()).toISOString(),
    durationMs: run.durationMs ?? 0,
    counts: run.counts,
    ...(run.error ? { error: run.error } : {}),
  };
}
