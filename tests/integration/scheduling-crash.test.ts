import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ObjectId } from 'mongodb';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunDoc } from '@/lib/runs/store';
import { api, eventually, type Auth } from '../support/api';
import { connectDatabase, createToken, type TestDatabase } from '../support/database';
import { isAlive } from '../support/processes';
import { connect, openSocket, record, subscribe } from '../support/realtime';
import { startServer, type TestServer } from '../support/server';
import { startEmbeddedDb } from '@/server/embedded-db';

/**
 * What happens when servers stop, die or run side by side: missed slots after a restart, a kill -9 mid-run,
 * a job lock left by a dead process, and two instances on one database.
 */

const FAST = { SCHEDULE_INTERVAL_MIN_S: '1', RUN_LEASE_MS: '3000' };
const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!().catch(() => {});
});

async function tempDir() {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'syncdeck-crash-'));
  cleanup.unshift(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function start(dataDir: string, env: Record<string, string> = {}): Promise<{ server: TestServer; database: TestDatabase; admin: Auth }> {
  const server = await startServer({ dataDir, env: { ...FAST, ...env } });
  cleanup.push(() => server.stop());
  const database = await connectDatabase({ ...server, mongoUri: env.MONGODB_URI ?? server.mongoUri });
  cleanup.push(() => database.close());
  const admin = { token: (await createToken(database.db, 'admin')).token };
  return { server, database, admin };
}

async function createConnector(server: TestServer, admin: Auth, id: string, options: { everySeconds: number; pages?: number; pageDelayMs?: number; policies?: object }) {
  const res = await api(server.url, '/api/connectors', {
    auth: admin,
    body: {
      id,
      name: id,
      kind: 'demo',
      config: { records: options.pages ?? 1, pageSize: 1, pageDelayMs: options.pageDelayMs ?? 10, failureRate: 0 },
      schedules: [{ id: 's', type: 'interval', everySeconds: options.everySeconds }],
      policies: { minGapSeconds: 0, ...options.policies },
    },
  });
  expect(res.status, `${JSON.stringify(res.body)}\n${res.status === 500 ? server.logs().slice(-3000) : ''}`).toBe(201);
}

/** Whether a slot's record was skipped because of run `runId` itself (not its re-run). */
const heldBackBy = (record: RunDoc, runId: string) => new RegExp(`run ${runId.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?!~)`).test(record.reason ?? '');

const runsOf = (database: TestDatabase, connectorId: string) => database.db.collection<RunDoc>('runs').find({ connectorId }).sort({ queuedAt: 1 }).toArray();

describe('missed slots after a restart', () => {
  for (const policy of ['run-once', 'skip'] as const) {
    it(`missedSlots=${policy}: the slots missed while the server was down give one ${policy === 'run-once' ? 'catch-up run' : 'skip record'}, not a burst, and each its record`, async () => {
      const dataDir = await tempDir();
      const first = await start(dataDir);
      await createConnector(first.server, first.admin, 'downtime', { everySeconds: 1, policies: { missedSlots: policy } });
      await eventually(async () => (await runsOf(first.database, 'downtime')).some((r) => r.status === 'succeeded'), { what: 'a first run' });
      await first.database.close();
      const stopped = await first.server.stop();
      expect(stopped.orphans).toEqual([]);
      const downAt = Date.now();
      await new Promise((r) => setTimeout(r, 5000));

      const second = await start(dataDir);
      const upAt = Date.now();
      await new Promise((r) => setTimeout(r, 3000));
      const runs = await runsOf(second.database, 'downtime');
      // Slots that passed entirely while no server ran (the stop and the start each take a moment).
      const missed = runs.filter((r) => r.slot && r.slot.getTime() > downAt + 1000 && r.slot.getTime() < upAt - 2000);
      const missedOnly = (r: RunDoc) => r.reason?.startsWith('missed: no instance was scheduling');
      const catchUps = runs.filter((r) => r.trigger === 'catch-up' && !missedOnly(r));
      expect(catchUps).toHaveLength(1);
      expect(catchUps[0]!.status).toBe(policy === 'run-once' ? 'succeeded' : 'skipped');
      if (policy === 'skip') expect(catchUps[0]!.reason).toMatch(/missed slots? .*missed-slot policy is skip/);
      expect(missed.filter((r) => r.trigger !== 'catch-up')).toEqual([]);
      // Every slot of the downtime has its one record: the older ones skipped as missed, naming the decision.
      expect(missed.length).toBeGreaterThanOrEqual(2);
      for (let t = missed[0]!.slot!.getTime(); t <= missed.at(-1)!.slot!.getTime(); t += 1000) {
        expect(runs.filter((r) => r.slot?.getTime() === t).map((r) => r.status)).toHaveLength(1);
      }
      const older = runs.filter((r) => r.slot && r.slot < catchUps[0]!.slot! && missed.includes(r));
      expect(older.every((r) => r.status === 'skipped' && missedOnly(r) && r.reason!.includes(catchUps[0]!.slot!.toISOString()))).toBe(true);
      // And the connector is back on its schedule.
      expect(runs.some((r) => r.trigger === 'scheduled' && r.slot!.getTime() > upAt && r.status === 'succeeded')).toBe(true);
    });
  }
});

describe('crash safety', () => {
  it('kill -9 mid-run: the run is known dead at the restart (not after its lease), run again once as a new attempt, and the schedule goes on at once', async () => {
    // A lease of 10 minutes: only the start-up check of this host's processes can declare the run dead in time.
    const env = { RUN_LEASE_MS: '600000' };
    const dataDir = await tempDir();
    const first = await start(dataDir, env);
    const slow = { everySeconds: 2, pages: 40, pageDelayMs: 100, policies: { overlap: 'skip' } };
    await createConnector(first.server, first.admin, 'crashy', slow);
    await createConnector(first.server, first.admin, 'crashy-optout', { ...slow, policies: { overlap: 'skip', rerunInterrupted: false } });
    const inProgress = async (id: string) => (await runsOf(first.database, id)).find((r) => r.status === 'running' && r.progress && r.progress.done > 0);
    await eventually(async () => (await inProgress('crashy')) && (await inProgress('crashy-optout')), { what: 'a run in progress on both connectors' });
    const helpers = first.server.children();
    expect(helpers.length).toBeGreaterThan(0);
    process.kill(first.server.pid, 'SIGKILL');
    // The runs the process was running when it died (it can no longer end them).
    const [running, runningOptOut] = [(await inProgress('crashy'))!, (await inProgress('crashy-optout'))!];
    expect(running && runningOptOut).toBeTruthy();
    await first.database.close().catch(() => {});
    await eventually(() => helpers.every((p) => !isAlive(p)), { timeoutMs: 10_000, what: 'the embedded database to exit with its parent' });
    await first.server.stop();

    const second = await start(dataDir, env);
    const upAt = Date.now();
    const runs = second.database.db.collection<RunDoc>('runs');
    for (const dead of [running, runningOptOut]) {
      const run = await eventually(
        async () => {
          const doc = await runs.findOne({ _id: dead._id });
          return doc?.status === 'interrupted' && doc;
        },
        { timeoutMs: 20_000, what: 'the dead run to be marked interrupted' },
      );
      expect(run.error).toEqual({ kind: 'interrupted', message: `the server process running it (${first.server.instanceId}) is gone` });
    }

    // Run again once: a new attempt of the same slot, under an id no second instance could also claim.
    const rerun = await eventually(
      async () => {
        const doc = await runs.findOne({ _id: `${running._id}~rerun` });
        return doc && ['succeeded', 'failed', 'skipped'].includes(doc.status) ? doc : undefined;
      },
      { timeoutMs: 20_000, what: 'the re-run to end' },
    );
    expect(rerun).toMatchObject({ status: 'succeeded', trigger: 'retry', attempt: 2, firstRunId: running._id, rerunOf: running._id, connectorId: 'crashy', scheduleId: 's', instanceId: second.server.instanceId });
    expect(rerun.slot).toEqual(running.slot);
    expect(rerun.reason).toMatch(/was interrupted when its server process died/);

    // The schedules go on at once: slots after the restart run, and none is held back by the dead runs.
    const after = await eventually(
      async () => {
        const all = (await runs.find({ connectorId: { $in: ['crashy', 'crashy-optout'] }, slot: { $gt: new Date(upAt) } }).toArray()).filter((r) => !r._id.includes('~'));
        return ['crashy', 'crashy-optout'].every((id) => all.some((r) => r.connectorId === id && r.trigger === 'scheduled' && r.status === 'succeeded')) && all;
      },
      { timeoutMs: 20_000, what: 'scheduled runs of both connectors after the restart' },
    );
    expect(after.filter((r) => heldBackBy(r, running._id) || heldBackBy(r, runningOptOut._id)).map((r) => [r._id, r.reason])).toEqual([]);
    // The connector that opted out is not run again; nothing is run twice.
    expect(await runs.countDocuments({ _id: `${runningOptOut._id}~rerun` })).toBe(0);
    expect(await runs.countDocuments({ rerunOf: running._id })).toBe(1);
  });

  it('a slot job whose lock was left by a dead process still fires at its slot (stale-lock regression)', async () => {
    const { server, database, admin } = await start(await tempDir());
    await createConnector(server, admin, 'locked', { everySeconds: 3600 });
    const slot = new Date(Math.ceil((Date.now() + 5000) / 1000) * 1000);
    // What a process that died while holding the job leaves behind: a lock far older than the lock lifetime.
    await database.db.collection('agendaJobs').insertOne({
      _id: new ObjectId(),
      name: 'sync.slot',
      type: 'normal',
      priority: 0,
      data: { connectorId: 'locked', scheduleId: 's', slot: slot.toISOString() },
      nextRunAt: slot,
      lockedAt: new Date(Date.now() - 3_600_000),
      lastModifiedBy: 'dead-instance',
    });
    const run = await eventually(
      async () => {
        const doc = await database.db.collection<RunDoc>('runs').findOne({ _id: `locked:s:${slot.toISOString()}` });
        return doc?.startedAt && doc;
      },
      { timeoutMs: 30_000, what: 'the locked slot to run' },
    );
    expect(run.trigger).toBe('scheduled');
    expect(run.startedAt!.getTime()).toBeGreaterThanOrEqual(slot.getTime());
  });
});

describe('an instance killed beside another', () => {
  it('the survivor declares the dead run interrupted without waiting for its lease, runs it again once, and every slot keeps one record', async () => {
    const database = await startEmbeddedDb({ dataDir: await tempDir(), logger: pino({ level: 'silent' }) });
    cleanup.push(() => database.stop());
    // A lease of a minute: the dead process is recognised (same host, its pid gone) well before it runs out.
    const env = { MONGODB_URI: database.uri, RUN_LEASE_MS: '60000' };
    const a = await start(await tempDir(), env);
    const b = await start(await tempDir(), env);
    await createConnector(a.server, a.admin, 'victim', { everySeconds: 3, pages: 15, pageDelayMs: 100, policies: { overlap: 'skip' } });
    const runs = a.database.db.collection<RunDoc>('runs');
    const running = await eventually(async () => (await runs.find({ connectorId: 'victim', status: 'running', 'progress.done': { $gt: 0 } }).toArray())[0], {
      what: 'a run in progress',
    });
    const [dead, survivor] = running.instanceId === a.server.instanceId ? [a, b] : [b, a];
    process.kill(dead.server.pid, 'SIGKILL');
    await dead.server.stop();

    const interrupted = await eventually(
      async () => {
        const doc = await survivor.database.db.collection<RunDoc>('runs').findOne({ _id: running._id });
        return doc?.status === 'interrupted' && doc;
      },
      { timeoutMs: 30_000, what: 'the dead run to be marked interrupted' },
    );
    expect(interrupted.error?.message).toBe(`the server process running it (${dead.server.instanceId}) is gone`);
    const rerun = await eventually(
      async () => {
        const doc = await survivor.database.db.collection<RunDoc>('runs').findOne({ _id: `${running._id}~rerun` });
        return doc && ['succeeded', 'failed', 'skipped'].includes(doc.status) ? doc : undefined;
      },
      { timeoutMs: 30_000, what: 'the re-run to end' },
    );
    expect(rerun).toMatchObject({ status: 'succeeded', trigger: 'retry', attempt: 2, rerunOf: running._id, instanceId: survivor.server.instanceId });
    expect(rerun.slot).toEqual(running.slot);

    // The slots after the killed one: one record each (a run, or a skip with its reason), none held back by the dead run.
    const slots = [1, 2, 3, 4].map((i) => new Date(running.slot!.getTime() + i * 3000));
    const records = await eventually(
      async () => {
        const found = await survivor.database.db.collection<RunDoc>('runs').find({ connectorId: 'victim', slot: { $in: slots } }).toArray();
        const primary = found.filter((r) => !r._id.includes('~'));
        return primary.length === slots.length && primary.every((r) => !['queued', 'running'].includes(r.status)) && found;
      },
      { timeoutMs: 30_000, what: 'a record for each of the next four slots' },
    ).catch(async (error) => {
      const all = await survivor.database.db.collection<RunDoc>('runs').find({ connectorId: 'victim' }, { projection: { log: 0 } }).toArray();
      console.log(JSON.stringify(all.map((r) => [r._id, r.status, r.trigger, r.reason, r.instanceId, r.queuedAt, r.startedAt, r.finishedAt])), survivor.server.logs().slice(-3000));
      throw error;
    });
    await api(survivor.server.url, '/api/connectors/victim/disable', { auth: survivor.admin, body: {} });
    expect(records.filter((r) => heldBackBy(r, running._id)).map((r) => [r._id, r.reason])).toEqual([]);
    expect(records.filter((r) => r.status === 'succeeded').length).toBeGreaterThan(0);
    expect(await survivor.database.db.collection('runs').countDocuments({ rerunOf: running._id })).toBe(1);
    const byId = new Set(records.map((r) => r._id));
    expect(byId.size).toBe(records.length);
  });
});

describe('broken chains', () => {
  it('a schedule whose next slot job was lost gets it planned again by upkeep', async () => {
    const { server, database, admin } = await start(await tempDir());
    await createConnector(server, admin, 'unchained', { everySeconds: 3600 });
    const jobs = database.db.collection<{ name: string; data: { connectorId: string; slot: string } }>('agendaJobs');
    const slotJobs = () => jobs.find({ name: 'sync.slot', 'data.connectorId': 'unchained' }).toArray();
    const planned = await eventually(async () => (await slotJobs()).length === 1 && (await slotJobs())[0]!, { timeoutMs: 10_000, what: 'the first slot job' });
    // What an overloaded database or a hand-made mistake can leave: no slot job at all.
    await jobs.deleteMany({ name: 'sync.slot', 'data.connectorId': 'unchained' });
    // Upkeep checks every 10 scheduler polls (5 s here) and only connectors not changed in that long.
    const again = await eventually(async () => (await slotJobs())[0], { timeoutMs: 40_000, what: 'the slot job planned again' });
    expect(again.data.slot).toBe(planned.data.slot);
    expect(await slotJobs()).toHaveLength(1);
  });
});

describe('slot jobs changed by hand (as Agendash does)', () => {
  it('Requeue or Retry of a future slot never runs it early; Pause and a broken job are repaired by upkeep', async () => {
    const { server, database, admin } = await start(await tempDir());
    await createConnector(server, admin, 'handled', { everySeconds: 3600 });
    type SlotJob = { _id: ObjectId; name: string; data: { connectorId: string; scheduleId: string; slot: string }; nextRunAt: Date | null; lockedAt: Date | null; disabled?: boolean; lastRunAt?: Date };
    const jobs = database.db.collection<SlotJob>('agendaJobs');
    const slotJobs = () => jobs.find({ name: 'sync.slot', 'data.connectorId': 'handled' }).toArray();
    const planned = await eventually(async () => (await slotJobs())[0], { timeoutMs: 10_000, what: 'the first slot job' });
    const slot = new Date(planned.data.slot);
    expect(slot.getTime()).toBeGreaterThan(Date.now());
    expect(planned.data).toEqual({ connectorId: 'handled', scheduleId: 's', slot: slot.toISOString() });
    const settled = (job: SlotJob | undefined) => job && !job.lockedAt && job.nextRunAt && job.nextRunAt.getTime() >= slot.getTime() && !job.disabled;

    // Requeue: the job itself made due now. It is put back at its slot's time and nothing runs.
    await jobs.updateOne({ _id: planned._id }, { $set: { nextRunAt: new Date() } });
    await eventually(async () => (await jobs.findOne({ _id: planned._id }))?.lastRunAt !== undefined, { timeoutMs: 10_000, what: 'the requeued job to fire' });
    await eventually(async () => settled((await jobs.findOne({ _id: planned._id })) ?? undefined), { timeoutMs: 10_000, what: 'the job back at its time' });

    // Retry: a copy due now. It is dropped; the slot's own job stays.
    const copy = new ObjectId();
    await jobs.insertOne({ ...planned, _id: copy, nextRunAt: new Date(), lockedAt: null });
    await eventually(async () => (await jobs.countDocuments({ _id: copy })) === 0, { timeoutMs: 10_000, what: 'the copy to be dropped' });
    expect((await slotJobs()).map((j) => String(j._id))).toEqual([String(planned._id)]);

    // Pause: the safety net is switched back on by upkeep (every 10 polls here).
    await jobs.updateOne({ _id: planned._id }, { $set: { disabled: true } });
    await eventually(async () => settled((await jobs.findOne({ _id: planned._id })) ?? undefined), { timeoutMs: 20_000, what: 'the paused job to be resumed' });

    // Broken: a job that can never fire again (no nextRunAt, not locked) is replaced by a planned one.
    await jobs.updateOne({ _id: planned._id }, { $set: { nextRunAt: null } });
    await eventually(async () => settled((await slotJobs())[0]), { timeoutMs: 20_000, what: 'the broken job to be replaced' });
    expect(await slotJobs()).toHaveLength(1);

    // Nothing ran early, and the slot still runs at its time (an hour away: not waited for here).
    expect(await database.db.collection('runs').countDocuments({ connectorId: 'handled' })).toBe(0);
    expect(server.logs()).toMatch(/slot job started before its slot; planned again for its time/);
  });
});

describe('two instances on one database', () => {
  it('run every slot exactly once between them, and one carries on alone when the other stops', async () => {
    // The database runs on its own here, so either server can stop without taking it along.
    const database = await startEmbeddedDb({ dataDir: await tempDir(), logger: pino({ level: 'silent' }) });
    cleanup.push(() => database.stop());
    const a = await start(await tempDir(), { MONGODB_URI: database.uri });
    const b = await start(await tempDir(), { MONGODB_URI: database.uri });
    const sides = [a, b];
    const recorders: Array<ReturnType<typeof record>> = [];
    for (const side of sides) {
      const socket = openSocket(side.server.url, { token: (await createToken(a.database.db, 'viewer')).token });
      cleanup.push(async () => socket.disconnect());
      recorders.push(record(socket));
      await connect(socket);
      await subscribe(socket, ['overview']);
    }
    const ids = Array.from({ length: 4 }, (_, i) => `twin-${i}`);
    // Half created through each instance: each plans (and tends to keep) the chains it created, while both
    // poll for every due job, so both compete for the same slots.
    for (const [i, id] of ids.entries()) await createConnector(sides[i % 2]!.server, a.admin, id, { everySeconds: 3 });
    const runs = () => a.database.db.collection<RunDoc>('runs').find({ connectorId: { $in: ids } }).toArray();
    const windowStart = Math.ceil((Date.now() + 3000) / 3000) * 3000;
    await new Promise((r) => setTimeout(r, 12_000));

    // Each dashboard hears both instances' heartbeats, the other one's through the relay.
    for (const recorder of recorders) {
      const beating = new Set(recorder.events.filter((e) => e.event === 'heartbeat').map((e) => (e.payload as { instanceId: string }).instanceId));
      expect(beating).toEqual(new Set([a.server.instanceId, b.server.instanceId]));
    }

    // Which instance wins a slot is a race; stopping the one that won more makes the other one run the
    // rest, so both certainly take part, and the chains of the stopped one must go on without it.
    const won = (side: typeof a) => async () => (await runs()).filter((r) => r.startedAt && r.instanceId === side.server.instanceId).length;
    const [wonByA, wonByB] = [await won(a)(), await won(b)()];
    const [stopped, survivor] = wonByA >= wonByB ? [0, 1] : [1, 0];
    const stoppedAt = Date.now();
    const result = await sides[stopped]!.server.stop();
    expect(result.orphans).toEqual([]);
    await new Promise((r) => setTimeout(r, 10_000));
    const windowEnd = Math.floor((Date.now() - 3000) / 3000) * 3000;
    for (const id of ids) await api(sides[survivor]!.server.url, `/api/connectors/${id}/disable`, { auth: a.admin, body: {} });

    const inWindow = (await runs()).filter((r) => r.slot && r.slot.getTime() >= windowStart && r.slot.getTime() <= windowEnd);
    const expected = ids.length * ((windowEnd - windowStart) / 3000 + 1);
    expect(inWindow).toHaveLength(expected); // no slot missed (one record each: a run or a recorded skip)
    const executed = inWindow.filter((r) => r.startedAt);
    expect(executed.length).toBeGreaterThan(expected / 2);
    expect(executed.filter((r) => r.status !== 'succeeded').map((r) => [r._id, r.status, r.error?.message])).toEqual([]);
    // Both took part: the stopped one before it stopped, the survivor for every slot after.
    expect(new Set(executed.map((r) => r.instanceId))).toEqual(new Set([a.server.instanceId, b.server.instanceId]));
    const late = executed.filter((r) => r.startedAt!.getTime() > stoppedAt + 1000);
    expect(late.length).toBeGreaterThan(0);
    expect(late.filter((r) => r.instanceId !== sides[survivor]!.server.instanceId)).toEqual([]);

    // No slot executed twice: the survivor's dashboard saw every run start exactly once — those of the other
    // instance through the relay — so a second execution anywhere would show as a second start.
    const watcher = recorders[survivor]!;
    await eventually(() => executed.every((r) => watcher.events.some((e) => e.event === 'sync:finish' && e.payload.runId === r._id)), {
      timeoutMs: 10_000,
      what: "the survivor's dashboard to see every run finish",
    });
    for (const recorder of recorders) {
      const starts = new Map<string, number>();
      for (const e of recorder.events) if (e.event === 'sync:start') starts.set(e.payload.runId, (starts.get(e.payload.runId) ?? 0) + 1);
      expect([...starts].filter(([, n]) => n > 1)).toEqual([]);
      if (recorder === watcher) expect(executed.filter((r) => starts.get(r._id) !== 1).map((r) => r._id)).toEqual([]);
    }
  });
});
