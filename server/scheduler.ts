import { Agenda, exponential, InMemoryNotificationChannel, type Job } from 'agenda';
import { MongoBackend } from '@agendajs/mongo-backend';
import { createHash } from 'node:crypto';
import { ObjectId, type Db, type Document } from 'mongodb';
import { isDuplicateKey } from '@/lib/write-errors';
import { actorLabel, type Actor } from '@/lib/auth/actor';
import { nextRunOf } from '@/lib/connectors/status';
import { getFigures, noteRunStarted, recordRunOutcome } from '@/lib/connectors/figures';
import { getConnector, listConnectors, type ConnectorDoc } from '@/lib/connectors/store';
import type { Logger } from '@/lib/logger';
import { finishedStatuses, type RunTrigger } from '@/lib/domain/run';
import type { EventBus, SchedulerControl } from '@/lib/runtime';
import { RunExecutor } from '@/lib/runs/execute';
import { pruneRuns } from '@/lib/runs/retention';
import { isDeadOnThisHost } from '@/lib/runs/liveness';
import {
  activeAmong,
  findLiveRuns,
  getRun,
  insertRun,
  insertRuns,
  interruptExpiredRuns,
  newRunDoc,
  reconcileLiveRuns,
  rerunId,
  slotRunId,
  updateRun,
  type LiveRunDoc,
  type RunDoc,
} from '@/lib/runs/store';
import { decideSlot, isTransient, missedSlotsBefore, ON_TIME_SLACK_MS, retryDelayMs, type SlotSituation } from '@/lib/scheduling/policy';
import { nextSlot, type Schedule } from '@/lib/scheduling/schedule';
import { getSchedulerState, setSchedulerPaused, type SchedulerState } from '@/lib/scheduling/state';
import { SlotClock, type DueSlot } from './slot-clock';
import { SLOT_JOB } from '@/lib/scheduling/jobs';
import { collections } from '@/lib/store/collections';

/** How often upkeep makes sure every enabled schedule has its next slot planned, in scheduler polls (20 s by default). */
const CHAIN_CHECK_EVERY_POLLS = 10;
/** Job names besides SLOT_JOB: one per queued run (manual, queued behind, retry), one for upkeep. */
const RUN_JOB = 'sync.run';
const RETENTION_JOB = 'runs.prune';

interface SlotJobData {
  connectorId: string;
  scheduleId: string;
  /** ISO time of the slot this job stands for. */
  slot: string;
}
interface RunJobData {
  runId: string;
}

/** The `_id` of a slot's job, derived from (connector, schedule, slot): planning a slot twice is a duplicate key. */
const slotJobId = (data: SlotJobData) => new ObjectId(createHash('sha256').update(`${data.connectorId}\u0000${data.scheduleId}\u0000${data.slot}`).digest('hex').slice(0, 24));

/** A further attempt of a run's slot (a retry, or a re-run after a crash): queued, one attempt more, the same first run. */
function followUpOf(run: Pick<RunDoc, '_id' | 'connectorId' | 'scheduleId' | 'slot' | 'initiatedBy' | 'attempt' | 'firstRunId'>, fields: Pick<RunDoc, '_id' | 'notBefore' | 'reason' | 'rerunOf'>): RunDoc {
  return newRunDoc({
    connectorId: run.connectorId,
    scheduleId: run.scheduleId,
    slot: run.slot,
    trigger: 'retry' satisfies RunTrigger,
    initiatedBy: run.initiatedBy,
    status: 'queued',
    attempt: (run.attempt ?? 1) + 1,
    firstRunId: run.firstRunId ?? run._id,
    ...fields,
  });
}

/** A queued run waiting for another to end (overlap policy queue-one): released by giving it a `notBefore`. */
const isWaitingBehind = (run: LiveRunDoc) => run.status === 'queued' && Boolean(run.waitingFor) && !run.notBefore;

/**
 * When the connector's latest run started, read fresh by `_id` (the figures are not cached here): only connectors
 * with a minimum gap need it, so the others cost no read.
 */
const lastStartedAtOf = async (db: Db, connector: ConnectorDoc): Promise<Date | undefined> =>
  connector.policies.minGapSeconds > 0 ? (await getFigures({ db, connectorId: connector._id })).lastStartedAt : undefined;

/** What a slot's decision needs to know, from the connector, when its latest run started and its live runs (newest first). */
function situationOf(connector: ConnectorDoc, lastStartedAt: Date | undefined, schedule: Schedule, slot: Date, live: readonly LiveRunDoc[], now: Date, onTimeFrom?: Date, onTimeSlackMs?: number): SlotSituation {
  const active = activeAmong(live, now);
  return {
    policies: connector.policies,
    schedule,
    slot,
    now,
    active: active ? { id: active._id, status: active.status } : null,
    queuedBehind: active ? live.some(isWaitingBehind) : false,
    lastStartedAt,
    onTimeFrom,
    onTimeSlackMs,
  };
}

/** A queued run that nobody picked up within this time is declared interrupted. */
const QUEUED_LEASE_MS = 120_000;

export class RunConflictError extends Error {
  override name = 'RunConflictError';
}

export interface SchedulerOptions {
  db: Db;
  bus: EventBus;
  logger: Logger;
  instanceId: string;
  /** How often Agenda polls for due jobs written by other instances. */
  pollMs: number;
  retention: { days: number; perConnector: number };
  executor?: RunExecutor;
}

/**
 * Syncdeck's scheduler on top of Agenda. Each instance's slot clock starts the slots whose policies say run at
 * their time, claiming each run by inserting its deterministic id. Each enabled schedule also always has one Agenda
 * job waiting for its next slot, persisted: a moment after the slot it plans the following one and decides what the
 * clock left by the connector's policies (missed slots, overlap, minimum gap). Claims, not Agenda's job lock, make a
 * slot run exactly once: the lock is not atomic on every database Syncdeck supports (FerretDB).
 */
export class Scheduler implements SchedulerControl {
  readonly agenda: Agenda;
  readonly executor: RunExecutor;
  readonly #claims;
  readonly #clock: SlotClock;
  /**
   * How long the latest reads before on-time claims took. The clock wakes twice the longest of them early (200 ms to
   * 2 s): a read that takes longer than the lead makes every slot of that moment late.
   */
  #prepareMs: number[] = [];
  #stopping = false;
  /** On-time claims in progress: a stop waits for them, so a run claimed as it began is executed and drained. */
  #claimsOnTime = new Set<Promise<void>>();
  /** Per connector, the slot decision in progress here (see `#oneAtATime`). */
  #deciding = new Map<string, Promise<void>>();
  #maintenance?: NodeJS.Timeout;
  #chainsCheckedAt = Date.now();
  get #chainCheckEveryMs(): number {
    return Math.max(5000, CHAIN_CHECK_EVERY_POLLS * this.options.pollMs);
  }
  #state: SchedulerState = { paused: false };
  /** Reads of the pause switch are numbered; one answered late never replaces what a later one found. */
  #stateReads = 0;
  #stateApplied = 0;

  constructor(private readonly options: SchedulerOptions) {
    const { db, logger, instanceId } = options;
    this.executor = options.executor ?? new RunExecutor({ db, bus: options.bus, logger, instanceId });
    this.#claims = collections.runClaims(db);
    this.agenda = new Agenda({
      backend: new MongoBackend({ mongo: db, collection: collections.agendaJobs.collectionName }),
      notificationChannel: new InMemoryNotificationChannel(),
      name: instanceId,
      processEvery: options.pollMs,
      maxConcurrency: 1000,
      defaultConcurrency: 20,
      defaultLockLifetime: 60_000,
    });
    this.agenda.on('error', (err: unknown) => {
      // Two instances ran one job (Agenda's lock is not atomic on FerretDB) and the other removed it when done.
      // Harmless: what a slot or run does is claimed by its deterministic id, not by the job's lock.
      if (/cannot be updated in the database, maybe it does not exist anymore/.test(String((err as Error)?.message))) logger.debug({ err }, 'job finished by another instance');
      else logger.error({ err }, 'scheduler error');
    });
    this.agenda.on('fail', (err: unknown, job: Job) => logger.error({ err, job: job.attrs.name, data: job.attrs.data }, 'scheduler job failed'));

    // Handlers renew the lock while a sync runs (touch), so a lock left behind only ever belongs to a dead process.
    const perJob = { concurrency: 500, lockLifetime: 60_000, removeOnComplete: true };
    // A slot job that failed (the database was unreachable) is tried again, so its slot still gets its record and
    // its chain goes on; upkeep repairs what the retries could not.
    const slotBackoff = exponential({ delay: 1000, factor: 2, maxDelay: 30_000, maxRetries: 30, jitter: 0.2 });
    this.agenda.define<SlotJobData>(SLOT_JOB, (job) => this.#onSlot(job), { ...perJob, backoff: slotBackoff });
    this.agenda.define<RunJobData>(RUN_JOB, (job) => this.#onQueuedRun(job), perJob);
    this.agenda.define(RETENTION_JOB, () => this.#prune(), { concurrency: 1, lockLifetime: 600_000 });

    this.#clock = new SlotClock({
      leadMs: () => Math.min(2000, Math.max(200, 2 * Math.max(0, ...this.#prepareMs))),
      // The first polls after a start fire the slot jobs that came due while no instance ran: their catch-up runs
      // (or skips) are decided before the clock takes the following slots.
      settleMs: Math.max(2000, 2 * options.pollMs),
      onDue: (at, slots) => {
        const claiming = this.#claimOnTime(at, slots).finally(() => this.#claimsOnTime.delete(claiming));
        this.#claimsOnTime.add(claiming);
      },
    });
  }

  /**
   * A slot's Agenda job fires a little after the slot: by then the slot clocks of the running instances have
   * claimed it, and the job only plans the next slot and deals with what they left (skips, queues, catch-ups, a
   * slot no instance was up for). Later than the burst of starts at a minute boundary, so it does not slow them,
   * and well before the schedule's following slot.
   */
  #slotJobAt(schedule: Schedule, slot: Date): Date {
    const gap = nextSlot(schedule, slot).getTime() - slot.getTime();
    return new Date(slot.getTime() + Math.min(Math.max(2000, this.options.pollMs), gap / 2));
  }

  async start(): Promise<void> {
    await this.#readState();
    await this.#recoverInterrupted();
    await this.agenda.start();
    const all = await listConnectors({ db: this.options.db });
    for (const connector of all) await this.#plan(connector);
    this.#clock.replaceAll(all);
    await this.agenda.every('1 hour', RETENTION_JOB, {}, { skipImmediate: false });
    this.#maintenance = setInterval(() => void this.#upkeep(), this.executor.timings.renewEveryMs);
    this.#maintenance.unref();
    // In the background: on the embedded database it reads the whole run history. Upkeep acts on what it restores.
    void reconcileLiveRuns({ db: this.options.db })
      .then(({ added, removed }) => (added || removed) && this.options.logger.warn({ added, removed }, 'live runs brought in line with their records'))
      .catch((err) => this.options.logger.warn({ err }, 'could not check the live runs against their records'));
  }

  /**
   * Drains: stops taking new jobs, waits up to `timeoutMs` for running syncs, then interrupts what is left
   * and records it as interrupted, so nothing stays marked running.
   */
  async stop(timeoutMs: number): Promise<void> {
    this.#stopping = true;
    this.#clock.stop();
    clearInterval(this.#maintenance);
    const deadline = Date.now() + timeoutMs;
    // A claim past its last look at `#stopping` is inserting its runs: they start here and are drained below.
    await Promise.all(this.#claimsOnTime);
    const result = await this.agenda.drain(timeoutMs);
    // Runs claimed on time are not Agenda jobs: they get what is left of the time to end.
    const idle = await this.executor.idle(Math.max(0, deadline - Date.now()));
    if (result.timedOut || !idle) {
      this.options.logger.warn({ running: this.executor.running }, 'shutdown timeout reached; interrupting running syncs');
      this.executor.abortAll();
      await this.executor.idle(this.executor.timings.cancelGraceMs + 5000);
    }
    // Agenda locks jobs due within its next poll ahead of time, and draining leaves those locks behind: the next
    // start would wait out the lock lifetime before firing them. Nothing runs here any more, so let go of them all.
    await collections
      .agendaJobs(this.options.db)
      .updateMany({ lastModifiedBy: this.options.instanceId, lockedAt: { $ne: null } }, { $unset: { lockedAt: true } })
      .catch((err) => this.options.logger.warn({ err }, 'could not unlock the jobs this instance held'));
  }

  /**
   * Reads the pause switch into memory and answers the state in force. Reads overlap (the slot clock, upkeep, a
   * pause): without the numbering, one issued before a pause but answered after it would undo it here.
   */
  async #readState(): Promise<SchedulerState> {
    const read = ++this.#stateReads;
    const state = await getSchedulerState({ db: this.options.db });
    if (read > this.#stateApplied) {
      this.#state = state;
      this.#stateApplied = read;
    }
    return this.#state;
  }

  isPaused(): boolean {
    return this.#state.paused;
  }

  state(): SchedulerState {
    return { ...this.#state };
  }

  runningRuns(): number {
    return this.executor.running;
  }

  /**
   * Pauses scheduled runs everywhere (manual runs still work). Persisted: a restart stays paused.
   * Slots that pass while paused are handled on resume by each connector's missed-slot policy.
   */
  async pause(actor: Actor): Promise<SchedulerState> {
    await setSchedulerPaused({ db: this.options.db, paused: true, by: actorLabel(actor) });
    await this.#readState();
    return this.state();
  }

  async resume(actor: Actor): Promise<SchedulerState> {
    const { before, changed } = await setSchedulerPaused({ db: this.options.db, paused: false, by: actorLabel(actor) });
    await this.#readState();
    if (changed && before.pausedAt) {
      // The slots missed are those up to the resume: the slot clock takes the ones after it, however long this takes.
      const resumedAt = this.#state.resumedAt ?? new Date();
      for (const connector of await listConnectors({ db: this.options.db })) {
        if (!connector.enabled) continue;
        for (const schedule of connector.schedules) {
          if (!schedule.enabled) continue;
          const firstMissed = nextSlot(schedule, before.pausedAt);
          if (firstMissed > resumedAt) continue;
          void this.#handleSlot(connector, schedule, firstMissed, undefined, resumedAt).catch((err) =>
            this.options.logger.error({ err, connectorId: connector._id, scheduleId: schedule.id }, 'could not decide the slots missed while paused'),
          );
        }
      }
    }
    return this.state();
  }

  async nextRunAt(connectorId: string): Promise<Date | null> {
    const connector = await getConnector({ db: this.options.db, id: connectorId });
    return connector && !this.#state.paused ? nextRunOf(connector, new Date()) : null;
  }

  async reschedule(connectorId: string): Promise<void> {
    await this.agenda.cancel({ name: SLOT_JOB, data: { connectorId } } as never);
    const connector = await getConnector({ db: this.options.db, id: connectorId });
    this.#clock.replace(connectorId, connector);
    if (connector) await this.#plan(connector);
  }

  async runNow(connectorId: string, actor: Actor): Promise<{ runId: string }> {
    const { db } = this.options;
    const active = activeAmong(this.#alive(await findLiveRuns({ db, connectorId })));
    if (active) throw new RunConflictError(`connector ${connectorId} is already running (run ${active._id})`);
    const connector = await getConnector({ db, id: connectorId });
    if (!connector) throw new RunConflictError(`connector ${connectorId} no longer exists`);
    const runId = `${connectorId}:manual:${new ObjectId().toHexString()}`;
    // Started here at once, without a trip through Agenda: the record, as running under this instance's lease,
    // is the claim. Should this process die before the run ends, the lease runs out and upkeep marks it interrupted.
    const now = new Date();
    const run = newRunDoc({
      _id: runId,
      connectorId,
      trigger: 'manual',
      initiatedBy: actorLabel(actor),
      status: 'running',
      queuedAt: now,
      startedAt: now,
      notBefore: now,
      instanceId: this.options.instanceId,
      leaseUntil: new Date(now.getTime() + this.executor.timings.leaseMs),
    });
    await insertRun({ db, run });
    this.options.bus.emit('connector:updated', { connectorId, queuedRunId: runId, queuedBy: actorLabel(actor) });
    void this.#execute(run, connector).catch((err) => this.options.logger.error({ err, runId }, 'a manual run failed after it ended'));
    return { runId };
  }

  async waitForRun(runId: string, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    await new Promise<void>((resolve) => {
      let finished = false;
      const done = () => {
        if (finished) return;
        finished = true;
        off();
        clearInterval(poll);
        clearTimeout(timer);
        resolve();
      };
      // The answer is the run as recorded, so wait for the record to say it ended: the finish event (this
      // instance) only prompts a look, and runs taken by another instance are seen by looking every second.
      const check = async () => {
        const run = await getRun({ db: this.options.db, id: runId }).catch(() => undefined);
        if (run === null || (run && (finishedStatuses as readonly string[]).includes(run.status)) || Date.now() > deadline) done();
      };
      const off = this.options.bus.onAny((event, payload) => {
        if (event === 'sync:finish' && (payload as { runId: string }).runId === runId) void check();
      });
      const poll = setInterval(() => void check(), 1000);
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
      if (schedule.enabled) await this.#planSlot(connector._id, schedule, nextSlot(schedule, after));
    }
  }

  /**
   * Saves the job of a slot, once: its id is derived from (connector, schedule, slot), so instances planning the
   * same slot at once get a duplicate key. Written as Agenda stores a one-time job, with a plain insert: Agenda's
   * own unique save looks the job up by its data, which the embedded FerretDB answers by reading every job.
   */
  async #planSlot(connectorId: string, schedule: Schedule, slot: Date): Promise<void> {
    const data: SlotJobData = { connectorId, scheduleId: schedule.id, slot: slot.toISOString() };
    const _id = slotJobId(data);
    try {
      await collections.agendaJobs<Document>(this.options.db).insertOne({
        _id,
        name: SLOT_JOB,
        data,
        type: 'normal',
        priority: 0,
        nextRunAt: this.#slotJobAt(schedule, slot),
        lockedAt: null,
        lastModifiedBy: this.options.instanceId,
      });
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
  }

  /**
   * Saves a queued run and hands it to Agenda at its `notBefore` (now when unset). A run waiting behind
   * another is only saved; it is handed over when that one ends.
   */
  async #queue(run: RunDoc): Promise<boolean> {
    const now = new Date();
    const notBefore = run.waitingFor ? undefined : (run.notBefore ?? now);
    const leaseUntil = new Date((notBefore ?? now).getTime() + QUEUED_LEASE_MS);
    // A waiting run must have no notBefore at all (an undefined field would be stored as null).
    const doc: RunDoc = notBefore ? { ...run, notBefore, leaseUntil } : { ...run, leaseUntil };
    if (!(await insertRun({ db: this.options.db, run: doc }))) return false;
    if (!notBefore) return true;
    if (notBefore > now) await this.agenda.schedule<RunJobData>(notBefore, RUN_JOB, { runId: run._id });
    else await this.agenda.now<RunJobData>(RUN_JOB, { runId: run._id });
    return true;
  }

  async #onSlot(job: Job<SlotJobData>): Promise<void> {
    const { connectorId, scheduleId } = job.attrs.data ?? {};
    const slot = new Date(job.attrs.data?.slot ?? NaN);
    if (!connectorId || !scheduleId || Number.isNaN(slot.getTime())) {
      this.options.logger.warn({ job: String(job.attrs._id), data: job.attrs.data }, 'slot job without a valid connector, schedule and slot; dropped (upkeep plans the schedule again)');
      return;
    }
    const connector = await getConnector({ db: this.options.db, id: connectorId });
    const schedule = connector?.schedules.find((s) => s.id === scheduleId);
    if (!connector || !connector.enabled || !schedule?.enabled) return;
    if (Date.now() < slot.getTime()) return this.#tooEarly(job, connectorId, schedule, slot);
    // Plan the following slot first, so a crash during the run cannot break the chain.
    await this.#planSlot(connectorId, schedule, nextSlot(schedule, new Date(Math.max(Date.now(), slot.getTime()))));
    await this.#readState();
    if (this.#state.paused) return; // the missed-slot policy decides on resume
    let first = slot;
    if (await getRun({ db: this.options.db, id: slotRunId(connectorId, scheduleId, slot) })) {
      // Claimed on time. The chain still answers for the slots after it that passed before this instance's clock
      // started (no server was up for them): decided from the first of them, they give one catch-up or one skip.
      first = nextSlot(schedule, slot);
      if (first >= this.#clock.startedAt) {
        // And for those that passed since without a record: this job came late (its instance died holding it), and
        // no clock decided them (the one that knew the connector had died with it; the others had not read it yet).
        const unrecorded = await this.#firstUnrecordedSlot(connectorId, schedule, first);
        if (unrecorded) await this.#handleSlot(connector, schedule, unrecorded, () => job.touch());
        return;
      }
    }
    // A slot the clocks looked after is decided here a moment after its time by design: that delay is not lateness.
    const slackMs = first >= this.#clock.startedAt ? this.#slotJobAt(schedule, first).getTime() - first.getTime() + this.options.pollMs + ON_TIME_SLACK_MS : undefined;
    await this.#handleSlot(connector, schedule, first, () => job.touch(), this.#clock.startedAt, slackMs);
  }

  /** The first slot from `from` on that has passed without a record, or null (at most a day of slots is looked at). */
  async #firstUnrecordedSlot(connectorId: string, schedule: Schedule, from: Date): Promise<Date | null> {
    const { db } = this.options;
    const now = Date.now();
    for (let at = from, looked = 0; at.getTime() <= now && looked < 1440; at = nextSlot(schedule, at), looked++) {
      if (!(await getRun({ db, id: slotRunId(connectorId, schedule.id, at) }))) return at;
    }
    return null;
  }

  /**
   * A slot job fired before its slot: moved by hand (Agendash's Requeue sets `nextRunAt` to now; its Retry saves a
   * copy). A slot never runs before its time: the slot's own job is put back at its time, a copy is dropped once the
   * slot's own job is sure to exist.
   */
  async #tooEarly(job: Job<SlotJobData>, connectorId: string, schedule: Schedule, slot: Date): Promise<void> {
    const own = slotJobId(job.attrs.data).equals(String(job.attrs._id));
    this.options.logger.warn({ connectorId, scheduleId: schedule.id, slot: slot.toISOString(), copy: !own }, 'slot job started before its slot; planned again for its time');
    if (own) job.attrs.nextRunAt = this.#slotJobAt(schedule, slot); // saved by Agenda when this handler returns
    else await this.#planSlot(connectorId, schedule, slot);
  }

  /**
   * The slot clock's part: shortly before `at`, reads the connectors, the pause switch and the live runs (one read
   * each, for every slot due then); at `at`, claims the slots whose policies say run, as running, and records those
   * they say skip, in one insert, and starts the runs this instance won. Anything else (a queue, a replacement, a
   * catch-up) is left to the slot's job.
   */
  async #claimOnTime(at: Date, due: DueSlot[]): Promise<void> {
    const { db, instanceId, logger } = this.options;
    try {
      const readStart = Date.now();
      const [all, state, live] = await Promise.all([listConnectors({ db }), this.#readState(), findLiveRuns({ db }).then((runs) => this.#alive(runs))]);
      this.#prepareMs = [...this.#prepareMs.slice(-9), Date.now() - readStart];
      this.#clock.replaceAll(all);
      if (state.paused || this.#stopping) return;
      const byId = new Map(all.map((c) => [c._id, c]));
      // Read with the rest before the slot, by `_id`, for the due connectors that keep a minimum gap.
      const gapped = [...new Set(due.map((d) => d.connectorId))].flatMap((id) => (byId.get(id)?.policies.minGapSeconds ? [byId.get(id)!] : []));
      const startedAt = new Map(await Promise.all(gapped.map(async (c) => [c._id, await lastStartedAtOf(db, c)] as const)));
      const wait = at.getTime() - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      // Stopping since the read: the slots' jobs, on whichever instance is still up, decide them instead.
      if (this.#stopping) return;

      const now = new Date();
      const leaseUntil = new Date(now.getTime() + this.executor.timings.leaseMs);
      const claims: RunDoc[] = [];
      // Two schedules of one connector due at once: the first (in the connector's order, the same on every
      // instance) runs, and the others see it running, as they would one started a moment earlier.
      const claimedHere = new Map<string, LiveRunDoc>();
      const order = (d: DueSlot) => byId.get(d.connectorId)?.schedules.findIndex((s) => s.id === d.scheduleId) ?? 0;
      const sorted = [...due].sort((a, b) => (a.connectorId < b.connectorId ? -1 : a.connectorId > b.connectorId ? 1 : order(a) - order(b)));
      for (const { connectorId, scheduleId, slot } of sorted) {
        const connector = byId.get(connectorId);
        const schedule = connector?.schedules.find((s) => s.id === scheduleId);
        // Changed since the clock learnt of it: the slot may no longer be one of the schedule's.
        if (!connector?.enabled || !schedule?.enabled || nextSlot(schedule, new Date(slot.getTime() - 1)).getTime() !== slot.getTime()) continue;
        const mine = claimedHere.get(connectorId);
        const decision = decideSlot(situationOf(connector, startedAt.get(connectorId), schedule, slot, [...(mine ? [mine] : []), ...live.filter((r) => r.connectorId === connectorId)], now));
        if (decision.action === 'skip') {
          // Recorded in the same write as the claims: left to the slot's job, a short run would be over by then (and
          // this slot run too), and a job planned by a process that died meanwhile may come late or not at all.
          claims.push(newRunDoc({ _id: slotRunId(connectorId, scheduleId, slot), connectorId, scheduleId, slot, trigger: decision.trigger, initiatedBy: 'scheduler', status: 'skipped', reason: decision.reason, finishedAt: now, durationMs: 0 }));
          continue;
        }
        if (decision.action !== 'run' || decision.trigger !== 'scheduled') continue;
        claims.push(
          newRunDoc({
            _id: slotRunId(connectorId, scheduleId, slot),
            connectorId,
            scheduleId,
            slot,
            trigger: 'scheduled',
            initiatedBy: 'scheduler',
            status: 'running',
            queuedAt: now,
            startedAt: now,
            notBefore: now,
            instanceId,
            leaseUntil,
          }),
        );
        claimedHere.set(connectorId, claims.at(-1)!);
      }
      for (const run of await insertRuns({ db, runs: claims })) {
        if (run.status === 'skipped') {
          this.#announceSkip(run, now);
          continue;
        }
        void this.#execute(run, byId.get(run.connectorId)!).catch((err) => logger.error({ err, runId: run._id }, 'a run claimed on time failed after it ended'));
      }
    } catch (err) {
      // The slots' jobs still come: what was not claimed here is decided there, a little later.
      logger.warn({ err, at: at.toISOString(), slots: due.length }, 'could not claim slots on time');
    }
  }

  /**
   * Decides and carries out one slot: run it, catch it up, queue it behind a running run, or record a skip.
   * `onTimeFrom`: the slot clock looked after the slots since then, so only earlier ones count as missed.
   */
  async #handleSlot(connector: ConnectorDoc, schedule: Schedule, slot: Date, keepAlive?: () => Promise<void>, onTimeFrom?: Date, onTimeSlackMs?: number): Promise<void> {
    // Decided one at a time per connector here, so two of its schedules decided at once see each other's run.
    const run = await this.#oneAtATime(connector._id, () => this.#decideSlot(connector, schedule, slot, onTimeFrom, onTimeSlackMs));
    if (run) await this.#execute(run, connector, keepAlive);
  }

  /** Runs `decide` after the decisions for the same connector started before it on this instance. */
  async #oneAtATime<T>(connectorId: string, decide: () => Promise<T>): Promise<T> {
    const before = this.#deciding.get(connectorId) ?? Promise.resolve();
    const result = before.then(decide);
    const settled = result.then(
      () => undefined,
      () => undefined,
    );
    this.#deciding.set(connectorId, settled);
    void settled.then(() => this.#deciding.get(connectorId) === settled && this.#deciding.delete(connectorId));
    return result;
  }

  /** Decides one slot and records the decision; answers the run to execute, if this instance claimed one. */
  async #decideSlot(connector: ConnectorDoc, schedule: Schedule, slot: Date, onTimeFrom?: Date, onTimeSlackMs?: number): Promise<RunDoc | null> {
    const { db, instanceId } = this.options;
    const [live, lastStartedAt] = await Promise.all([findLiveRuns({ db, connectorId: connector._id }).then((runs) => this.#alive(runs)), lastStartedAtOf(db, connector)]);
    const decision = decideSlot(situationOf(connector, lastStartedAt, schedule, slot, live, new Date(), onTimeFrom, onTimeSlackMs));
    const base = {
      _id: slotRunId(connector._id, schedule.id, decision.slot),
      connectorId: connector._id,
      scheduleId: schedule.id,
      slot: decision.slot,
      trigger: decision.trigger,
      initiatedBy: 'scheduler',
    };
    // One decision for many missed slots (one catch-up or one skip, for the newest): each older one gets its record.
    if (decision.slot > slot) await this.#recordMissed(connector._id, schedule, slot, decision.slot);

    // Decided already: claimed on time by a slot clock, or by another instance deciding the same missed slots.
    if (await getRun({ db, id: base._id })) return null;
    if (decision.action === 'skip') {
      await this.#recordSkip(base, decision.reason);
      return null;
    }
    if (decision.action === 'queue') {
      await this.#queue(newRunDoc({ ...base, status: 'queued', waitingFor: decision.waitFor, reason: `queued behind run ${decision.waitFor}` }));
      return null;
    }
    if (decision.action === 'replace' && !(await this.#stopAndWait(decision.cancel))) {
      await this.#recordSkip(base, `run ${decision.cancel} did not stop when cancelled for this slot`);
      return null;
    }
    const run = newRunDoc({ ...base, status: 'queued', notBefore: new Date(), instanceId, leaseUntil: new Date(Date.now() + this.executor.timings.leaseMs) });
    if (!(await insertRun({ db, run }))) return null; // claimed by another instance
    // Another instance may have started a run of this connector (another schedule's slot) at the same moment: of
    // two such runs the one queued first goes on, the other is recorded skipped, as if it had come a moment later.
    const earlier = (r: LiveRunDoc) => r.queuedAt < run.queuedAt || (r.queuedAt.getTime() === run.queuedAt.getTime() && r._id < run._id);
    const rival = this.#alive(await findLiveRuns({ db, connectorId: connector._id })).find((r) => r._id !== run._id && activeAmong([r]) && earlier(r));
    if (rival) {
      const finishedAt = new Date();
      await updateRun({ db, id: run._id, set: { status: 'skipped', reason: `previous run ${rival._id} was still ${rival.status}`, finishedAt, durationMs: 0 } });
      this.#announceSkip(run, finishedAt);
      return null;
    }
    return run;
  }

  /**
   * Records the missed slots in [from, newest) as skipped, once each (their ids are the slots'), the most recent
   * thousand of them; the record of `newest` says what was done about them.
   */
  async #recordMissed(connectorId: string, schedule: Schedule, from: Date, newest: Date): Promise<void> {
    const finishedAt = new Date();
    const reason = `missed: no instance was scheduling at its time (servers down or the scheduler paused); decided with the slot of ${newest.toISOString()}`;
    const docs = missedSlotsBefore(schedule, from, newest).map((slot) =>
      newRunDoc({ _id: slotRunId(connectorId, schedule.id, slot), connectorId, scheduleId: schedule.id, slot, trigger: 'catch-up', initiatedBy: 'scheduler', status: 'skipped', reason, finishedAt, durationMs: 0 }),
    );
    await insertRuns({ db: this.options.db, runs: docs });
  }

  /** Records a slot that will not run, once (its id is the slot's), and tells listeners. */
  async #recordSkip(base: Pick<RunDoc, '_id' | 'connectorId' | 'trigger' | 'initiatedBy'> & Partial<RunDoc>, reason: string): Promise<void> {
    const finishedAt = new Date();
    const skipped = newRunDoc({ ...base, status: 'skipped', reason, finishedAt, durationMs: 0 });
    if (await insertRun({ db: this.options.db, run: skipped })) this.#announceSkip(skipped, finishedAt);
  }

  /** Tells listeners (dashboards, the overview's figures) that a run was recorded skipped. */
  #announceSkip(run: Pick<RunDoc, '_id' | 'connectorId' | 'counts'>, finishedAt: Date): void {
    this.options.bus.emit('sync:finish', { runId: run._id, connectorId: run.connectorId, status: 'skipped', finishedAt: finishedAt.toISOString(), durationMs: 0, counts: run.counts });
  }

  /** overlap=cancel-running: cancels the run (here or on its instance) and waits for it to end. */
  async #stopAndWait(runId: string): Promise<boolean> {
    const by = 'scheduler (overlap policy cancel-running)';
    if (!this.executor.cancel(runId, by)) await updateRun({ db: this.options.db, id: runId, set: { cancelRequestedBy: by } });
    const t = this.executor.timings;
    const deadline = Date.now() + t.cancelGraceMs + t.renewEveryMs + 2000;
    while (Date.now() < deadline) {
      const run = await getRun({ db: this.options.db, id: runId });
      if (!run || (finishedStatuses as readonly string[]).includes(run.status)) return true;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return false;
  }

  async #onQueuedRun(job: Job<RunJobData>): Promise<void> {
    const { db, instanceId } = this.options;
    const run = await getRun({ db, id: job.attrs.data.runId });
    if (!run || run.status !== 'queued') return;
    if (run.notBefore && run.notBefore.getTime() > Date.now() + 1000) {
      // Moved by hand to fire sooner (Agendash's Requeue): a retry still waits out its backoff.
      job.attrs.nextRunAt = run.notBefore; // saved by Agenda when this handler returns
      return;
    }
    if (run.rerunOf) {
      // A re-run is not given up for a run going meanwhile (one run at a time): it waits for it to end.
      const going = this.#alive(await findLiveRuns({ db, connectorId: run.connectorId })).find((r) => r._id !== run._id && r.status === 'running');
      if (going) {
        const later = new Date(Date.now() + Math.max(1000, this.options.pollMs));
        await updateRun({ db, id: run._id, set: { notBefore: later, leaseUntil: new Date(later.getTime() + QUEUED_LEASE_MS) } });
        job.attrs.nextRunAt = later; // saved by Agenda when this handler returns
        return;
      }
    }
    try {
      await this.#claims.insertOne({ _id: run._id, instanceId, at: new Date() });
    } catch (error) {
      if (isDuplicateKey(error)) return; // another instance has it
      throw error;
    }
    const connector = await getConnector({ db, id: run.connectorId });
    if (!connector) return;
    if (run.trigger === 'retry' && !run.rerunOf) {
      const reason = await this.#retryObsolete(run, connector);
      if (reason) {
        const finishedAt = new Date();
        await updateRun({ db, id: run._id, set: { status: 'skipped', reason, finishedAt, durationMs: 0 } });
        this.#announceSkip(run, finishedAt);
        return;
      }
    }
    await this.#execute(run, connector, () => job.touch());
  }

  /** A retry is pointless when a later run succeeded, and must wait its turn when another run is going. */
  async #retryObsolete(run: RunDoc, connector: ConnectorDoc): Promise<string | null> {
    const [first, stats] = await Promise.all([
      run.firstRunId ? getRun({ db: this.options.db, id: run.firstRunId }) : null,
      getFigures({ db: this.options.db, connectorId: connector._id }),
    ]);
    if (stats.lastStatus === 'succeeded' && first?.finishedAt && stats.lastRunAt && stats.lastRunAt > first.finishedAt) {
      return `a later run (${stats.lastRunId}) succeeded`;
    }
    const active = this.#alive(await findLiveRuns({ db: this.options.db, connectorId: run.connectorId })).find((r) => r.status === 'running');
    return active ? `run ${active._id} was going when the retry was due` : null;
  }

  /** Runs a claimed run, then schedules its retry if it failed transiently, and starts a run queued behind it. */
  async #execute(run: RunDoc, connector: ConnectorDoc, keepAlive?: () => Promise<void>): Promise<void> {
    const { db, logger } = this.options;
    // Beside the start, not before it; the run's outcome is written to the connector only after it (see execute).
    // A slot's run counts from its slot time for the minimum gap (see decideSlot), any other from its start.
    const nominal = (run.trigger === 'scheduled' || run.trigger === 'catch-up') && run.slot ? run.slot : (run.startedAt ?? new Date());
    const noted = noteRunStarted({ db, connectorId: connector._id, at: nominal }).catch((err) => logger.warn({ err, runId: run._id }, 'could not note the start on the connector'));
    const finished = await this.executor.execute(run, connector, keepAlive, noted);
    // Stopped because its lease could not be kept (the database was away), or taken for dead by another instance:
    // run again like a run of a process that died. Not when this instance shuts down (the stop interrupted it).
    if (finished.status === 'interrupted' && !this.#stopping) await this.#rerun(finished).catch((err) => logger.error({ err, runId: run._id }, 'could not queue the re-run of an interrupted run'));
    await this.#scheduleRetry(finished, connector);
    await this.#startQueuedBehind(finished._id);
  }

  async #scheduleRetry(run: RunDoc, connector: ConnectorDoc): Promise<void> {
    const attempt = run.attempt ?? 1;
    if (run.status !== 'failed' || !run.error || !isTransient(run.error.kind) || attempt > connector.policies.retryAttempts) return;
    const notBefore = new Date(Date.now() + retryDelayMs(connector.policies, attempt));
    const retry = followUpOf(run, {
      _id: `${run.firstRunId ?? run._id}~retry-${attempt}`,
      notBefore,
      reason: `retry ${attempt} of ${connector.policies.retryAttempts} after ${run.error.kind} error`,
    });
    await this.#queueFollowUp(retry);
  }

  /** Queues a retry or a re-run and tells the dashboards when it is due; true when this call queued it. */
  async #queueFollowUp(run: RunDoc): Promise<boolean> {
    if (!(await this.#queue(run))) return false;
    this.options.bus.emit('connector:updated', { connectorId: run.connectorId, retryAt: run.notBefore!.toISOString(), retryRunId: run._id });
    return true;
  }

  /** Hands a run that waited behind `runId` (overlap policy queue-one) to Agenda. */
  async #startQueuedBehind(runId: string): Promise<void> {
    const waiting = (await findLiveRuns({ db: this.options.db })).find((r) => isWaitingBehind(r) && r.waitingFor === runId);
    if (!waiting) return;
    const now = new Date();
    await updateRun({ db: this.options.db, id: waiting._id, set: { notBefore: now, leaseUntil: new Date(now.getTime() + QUEUED_LEASE_MS) } });
    await this.agenda.now<RunJobData>(RUN_JOB, { runId: waiting._id });
  }

  /** Periodic duties of every instance: notice dead runs, refresh the pause switch, start orphaned queued runs. */
  async #upkeep(): Promise<void> {
    try {
      await this.#readState();
      await this.#recoverInterrupted();
      const waiting = (await findLiveRuns({ db: this.options.db })).filter(isWaitingBehind);
      for (const run of waiting) {
        const target = await getRun({ db: this.options.db, id: run.waitingFor! });
        if (!target || (finishedStatuses as readonly string[]).includes(target.status)) await this.#startQueuedBehind(run.waitingFor!);
      }
      if (Date.now() - this.#chainsCheckedAt >= this.#chainCheckEveryMs) {
        this.#chainsCheckedAt = Date.now();
        await this.#repairChains();
      }
    } catch (err) {
      this.options.logger.warn({ err }, 'scheduler upkeep failed');
    }
  }

  /**
   * Every enabled schedule has a waiting slot job: each slot plans the next one before it runs. Should a chain
   * still break (a slot job lost while the database was overloaded, a job removed by hand), this plans the schedule's
   * next slot again, so a schedule never stops by itself. One query for all slot jobs; the unique key of each slot
   * keeps instances doing this at once from planning it twice.
   */
  async #repairChains(): Promise<void> {
    const collection = collections.agendaJobs<{ data?: Partial<SlotJobData>; disabled?: boolean; nextRunAt?: Date | null; lockedAt?: Date | null }>(this.options.db);
    const jobs = await collection.find({ name: SLOT_JOB }, { projection: { data: 1, disabled: 1, nextRunAt: 1, lockedAt: 1 } }).toArray();
    const planned = new Set<string>();
    for (const job of jobs) {
      const key = `${job.data?.connectorId}\u0000${job.data?.scheduleId}`;
      if (job.disabled) {
        // Paused by hand (Agendash's Pause): a slot job is the schedule's safety net and is not paused this way;
        // the scheduler's own pause (and a connector's enable switch) is the way to stop slots.
        await collection.updateOne({ _id: job._id, disabled: true }, { $set: { disabled: false } });
        this.options.logger.warn({ job: String(job._id), data: job.data }, 'slot job was paused (disabled) by hand; resumed');
        planned.add(key);
      } else if (!job.nextRunAt && !job.lockedAt) {
        // Ended without planning anything (failed past its retries, or saved broken): it holds nothing.
        await collection.deleteOne({ _id: job._id, nextRunAt: job.nextRunAt ?? null, lockedAt: job.lockedAt ?? null });
        this.options.logger.warn({ job: String(job._id), data: job.data }, 'removed a slot job that will never fire');
      } else {
        planned.add(key);
      }
    }
    const now = new Date();
    const all = await listConnectors({ db: this.options.db });
    // Also how this instance's slot clock learns of connectors changed through another instance.
    this.#clock.replaceAll(all);
    for (const connector of all) {
      // A connector changed a moment ago is being re-planned by that change; leave it to it.
      if (!connector.enabled || now.getTime() - connector.updatedAt.getTime() < this.#chainCheckEveryMs) continue;
      for (const schedule of connector.schedules) {
        if (!schedule.enabled || planned.has(`${connector._id}\u0000${schedule.id}`)) continue;
        this.options.logger.warn({ connectorId: connector._id, scheduleId: schedule.id }, 'schedule had no next slot planned; planning it again');
        await this.#planSlot(connector._id, schedule, nextSlot(schedule, now));
      }
    }
  }

  /**
   * Declares runs whose process died interrupted — their lease ran out, or their process was one of this host's and
   * is gone (known at once, at start-up too) — folds them into their connectors' figures, tells listeners, and runs
   * each again once. Also lets go of the Agenda jobs such a process held locked, so they fire now, not after the
   * lock lifetime.
   */
  async #recoverInterrupted(): Promise<void> {
    const { db, bus, logger, instanceId } = this.options;
    const isDead = (id: string) => isDeadOnThisHost(id, instanceId);
    await this.#unlockJobsOfDead(isDead);
    for (const run of await interruptExpiredRuns({ db, now: new Date(), isDead })) {
      await recordRunOutcome({ db, connectorId: run.connectorId, runId: run._id, status: 'interrupted', at: run.finishedAt!, error: run.error, run });
      bus.emit('sync:finish', {
        runId: run._id,
        connectorId: run.connectorId,
        status: 'interrupted',
        finishedAt: run.finishedAt!.toISOString(),
        durationMs: run.durationMs ?? 0,
        counts: run.counts,
        ...(run.error ? { error: run.error } : {}),
      });
      logger.warn({ runId: run._id, instanceId: run.instanceId, reason: run.error?.message }, 'run marked interrupted: its server process died');
      await this.#rerun(run).catch((err) => logger.error({ err, runId: run._id }, 'could not queue the re-run of an interrupted run'));
    }
  }

  /**
   * Live runs without those of processes of this host that are gone: upkeep declares them interrupted shortly, and
   * meanwhile they hold back no slot (a dead run counts as running for nobody).
   */
  #alive(live: LiveRunDoc[]): LiveRunDoc[] {
    return live.filter((r) => !r.instanceId || !isDeadOnThisHost(r.instanceId, this.options.instanceId));
  }

  /** Unlocks the jobs locked by processes of this host that are gone. */
  async #unlockJobsOfDead(isDead: (instanceId: string) => boolean): Promise<void> {
    const jobs = collections.agendaJobs<{ lastModifiedBy?: string; lockedAt?: Date | null; nextRunAt?: Date | null }>(this.options.db);
    const holders = new Set((await jobs.find({ lockedAt: { $ne: null } }, { projection: { lastModifiedBy: 1 } }).toArray()).map((j) => j.lastModifiedBy ?? ''));
    for (const holder of holders) {
      if (!holder || !isDead(holder)) continue;
      // A job it was running has no nextRunAt any more (Agenda clears it at the start): it fires again now, and
      // finds done what the dead process did of it.
      const running = await jobs.updateMany({ lastModifiedBy: holder, lockedAt: { $ne: null }, nextRunAt: null }, { $set: { lockedAt: null, nextRunAt: new Date() } });
      const waiting = await jobs.updateMany({ lastModifiedBy: holder, lockedAt: { $ne: null } }, { $set: { lockedAt: null } });
      const count = running.modifiedCount + waiting.modifiedCount;
      if (count) this.options.logger.warn({ instanceId: holder, jobs: count }, 'unlocked the jobs of a server process that is gone');
    }
  }

  /**
   * Runs a run interrupted by a crash again, once: a new attempt of the same slot (trigger `retry`, same connector,
   * schedule and slot, `attempt` + 1, `rerunOf` the interrupted run) under the id `<run id>~rerun`, so that of the
   * instances noticing the crash only one queues it. Not for a re-run itself, nor when the connector opted out
   * (`policies.rerunInterrupted: false`) or is disabled. Like a retry, it is recorded as skipped when a later run
   * succeeded or another is going when it is due.
   */
  async #rerun(run: LiveRunDoc): Promise<void> {
    if (run.rerunOf) return;
    const connector = await getConnector({ db: this.options.db, id: run.connectorId });
    if (!connector?.enabled || connector.policies.rerunInterrupted === false) return;
    const rerun = followUpOf(run, {
      _id: rerunId(run._id),
      rerunOf: run._id,
      notBefore: new Date(),
      reason: `run again: run ${run._id} was interrupted when its server process died`,
    });
    if (await this.#queueFollowUp(rerun)) this.options.logger.info({ runId: rerun._id, rerunOf: run._id }, 'interrupted run queued to run again');
  }

  async #prune(): Promise<void> {
    const removed = await pruneRuns({ db: this.options.db, ...this.options.retention });
    if (removed) this.options.logger.info({ removed }, 'old runs pruned');
  }
}
