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

const runsOf = (database: TestDatabase, connectorId: string) => database.db.collection<RunDoc>('runs').find({ connectorId }).sort({ queuedAt: 1 }).toArray();

describe('missed slots after a restart', () => {
  for (const policy of ['run-once', 'skip'] as const) {
    it(`missedSlots=${policy}: the slots missed while the server was down give one ${policy === 'run-once' ? 'catch-up run' : 'skip record'}, not a burst`, async () => {
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
      const catchUps = runs.filter((r) => r.trigger === 'catch-up');
      expect(catchUps).toHaveLength(1);
      expect(catchUps[0]!.status).toBe(policy === 'run-once' ? 'succeeded' : 'skipped');
      if (policy === 'skip') expect(catchUps[0]!.reason).toMatch(/missed slots? .*missed-slot policy is skip/);
      expect(missed.filter((r) => r.trigger !== 'catch-up')).toEqual([]);
      // And the connector is back on its schedule.
      expect(runs.some((r) => r.trigger === 'scheduled' && r.slot!.getTime() > upAt && r.status === 'succeeded')).toBe(true);
    });
  }
});

describe('crash safety', () => {
  it('kill -9 mid-run: the database helper follows its parent, the run becomes interrupted after a restart, and the schedule goes on', async () => {
    const dataDir = await tempDir();
    const first = await start(dataDir);
    await createConnector(first.server, first.admin, 'crashy', { everySeconds: 2, pages: 200, pageDelayMs: 100, policies: { overlap: 'skip' } });
    const running = await eventually(async () => (await runsOf(first.database, 'crashy')).find((r) => r.status === 'running' && r.progress && r.progress.done > 0), {
      what: 'a run in progress',
    });
    const helpers = first.server.children();
    expect(helpers.length).toBeGreaterThan(0);
    process.kill(first.server.pid, 'SIGKILL');
    await first.database.close().catch(() => {});
    await eventually(() => helpers.every((p) => !isAlive(p)), { timeoutMs: 10_000, what: 'the embedded database to exit with its parent' });
    await first.server.stop();

    const second = await start(dataDir);
    const run = await eventually(
      async () => {
        const doc = await second.database.db.collection<RunDoc>('runs').findOne({ _id: running._id });
        return doc?.status === 'interrupted' && doc;
      },
      { timeoutMs: 20_000, what: 'the dead run to be marked interrupted' },
    );
    expect(run.error?.kind).toBe('interrupted');
    const status = await api<{ lastRun: { status: string } | null; consecutiveFailures: number }>(second.server.url, '/api/connectors/crashy/status', { auth: second.admin });
    expect(status.body.consecutiveFailures).toBeGreaterThanOrEqual(1);
    // The slot job the dead process held must not stop the schedule: slots start again after the restart
    // (the first one as the catch-up of what was missed while no server ran).
    const restartedAt = Date.now();
    const next = await eventually(
      async () => (await runsOf(second.database, 'crashy')).find((r) => r.slot && r.startedAt && r.startedAt.getTime() > restartedAt - 5000 && r._id !== running._id),
      { timeoutMs: 20_000, what: 'a slot run after the restart' },
    );
    expect(['scheduled', 'catch-up']).toContain(next.trigger);
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
