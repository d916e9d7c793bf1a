import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { MongoClient, type Db } from 'mongodb';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureFiguresMoved } from '@/lib/bootstrap';
import { getFigures, listFigures, noteRunStarted, recordRunOutcome } from '@/lib/connectors/figures';
import { getConnectorStatuses } from '@/lib/connectors/status';
import { createConnector, deleteConnector, listConnectors } from '@/lib/connectors/store';
import { collections } from '@/lib/store/collections';
import { startEmbeddedDb } from '@/server/embedded-db';

/** A connector's run figures in their own collection, on the embedded database, with two clients as two instances. */

let stopDb: () => Promise<void>;
let dataDir: string;
const clients: MongoClient[] = [];
let db: Db;
let other: Db;
const logger = pino({ level: 'silent' });

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'syncdeck-figures-'));
  const database = await startEmbeddedDb({ dataDir, logger });
  stopDb = () => database.stop();
  for (let i = 0; i < 2; i++) clients.push(await new MongoClient(database.uri).connect());
  db = clients[0]!.db('syncdeck-figures');
  other = clients[1]!.db('syncdeck-figures');
});

afterAll(async () => {
  for (const client of clients) await client.close();
  await stopDb?.();
  await rm(dataDir, { recursive: true, force: true });
});

const input = (id: string) => ({
  id,
  name: `Figures ${id}`,
  kind: 'demo',
  config: { records: 1, pageSize: 1, pageDelayMs: 0, failureRate: 0, failureKinds: ['upstream'], churn: 0 },
  schedules: [],
});
const marker = async (id: string) => (await collections.settings<{ _id: string; rev: string }>(db).findOne({ _id: id }))?.rev;

describe('run figures', () => {
  it('leave the connector list and its marker alone while runs start and finish, and read fresh everywhere', async () => {
    await createConnector({ db, input: input('fig-a') });
    await createConnector({ db, input: input('fig-b') });
    const before = await listConnectors({ db: other });
    const rev = await marker('connectors-changed');
    expect(rev).toBeDefined();
    const failure = { kind: 'upstream', message: 'boom' } as never;
    for (const status of ['failed', 'failed', 'succeeded', 'failed'] as const) {
      const at = new Date();
      await noteRunStarted({ db, connectorId: 'fig-a', at });
      await recordRunOutcome({ db, connectorId: 'fig-a', runId: `fig-a:${status}:${at.getTime()}`, status, at, error: status === 'failed' ? failure : undefined });
    }
    expect(await marker('connectors-changed')).toBe(rev);
    const after = await listConnectors({ db: other });
    // The same frozen documents: the other instance's cache was not emptied, so it did not read the connectors again.
    expect(after.map((c) => c._id)).toEqual(['fig-a', 'fig-b']);
    after.forEach((doc, i) => expect(doc).toBe(before[i]));
    expect(after[0]).not.toHaveProperty('stats');

    const fresh = await getFigures({ db: other, connectorId: 'fig-a' });
    expect(fresh).toMatchObject({ totalRuns: 4, consecutiveFailures: 1, longestFailureStreak: 2, lastStatus: 'failed', lastError: failure });
    expect(fresh.lastStartedAt).toBeInstanceOf(Date);
    expect((await listFigures({ db: other })).get('fig-a')).toMatchObject({ totalRuns: 4, consecutiveFailures: 1 });
    // Never run: the empty figures, in the status answer too.
    expect(await getFigures({ db, connectorId: 'fig-b' })).toEqual({ totalRuns: 0, consecutiveFailures: 0, longestFailureStreak: 0 });
    const statuses = await getConnectorStatuses({ db: other, connectors: after });
    expect(statuses.map((s) => [s.id, s.totalRuns, s.consecutiveFailures, s.longestFailureStreak, s.lastSuccess !== null])).toEqual([
      ['fig-a', 4, 1, 2, true],
      ['fig-b', 0, 0, 0, false],
    ]);
    const [one] = await getConnectorStatuses({ db, connectors: [after[0]!] });
    expect(one).toEqual(statuses[0]);
  });

  it('go with their connector when it is deleted', async () => {
    await createConnector({ db, input: input('fig-gone') });
    // A first failure with no figures yet (no start noted, as when upkeep records an interrupted run): upserted.
    await recordRunOutcome({ db, connectorId: 'fig-gone', runId: 'fig-gone:1', status: 'interrupted', at: new Date() });
    expect(await getFigures({ db, connectorId: 'fig-gone' })).toMatchObject({ totalRuns: 1, consecutiveFailures: 1, longestFailureStreak: 1, lastError: null });
    expect(await deleteConnector({ db, id: 'fig-gone' })).toBe(true);
    expect(await collections.connectorStats(db).findOne({ _id: 'fig-gone' })).toBeNull();
    expect((await listFigures({ db: other })).has('fig-gone')).toBe(false);
  });

  it('kept on connector documents by earlier versions move to their own collection at start-up, once', async () => {
    const at = new Date('2026-01-02T03:04:05Z');
    const legacy = { totalRuns: 7, consecutiveFailures: 2, longestFailureStreak: 3, lastStatus: 'failed', lastRunId: 'old:1', lastRunAt: at, lastStartedAt: at };
    await createConnector({ db, input: input('old-one') });
    await createConnector({ db, input: input('old-two') });
    await collections.connectors(db).updateOne({ _id: 'old-one' }, { $set: { stats: legacy } as never });
    await collections.connectors(db).updateOne({ _id: 'old-two' }, { $set: { stats: { ...legacy, totalRuns: 1 } } as never });
    // Figures already written for old-two (a run finished by a new instance first) are newer and stay.
    await collections.connectorStats(db).insertOne({ _id: 'old-two', totalRuns: 9 });
    const listed = await listConnectors({ db: other });

    await ensureFiguresMoved({ db, logger });
    expect(await getFigures({ db, connectorId: 'old-one' })).toEqual({ ...legacy });
    expect((await getFigures({ db, connectorId: 'old-two' })).totalRuns).toBe(9);
    expect(await collections.connectors(db).countDocuments({ stats: { $exists: true } })).toBe(0);
    // The connectors changed, so every instance reads them again.
    const relisted = await listConnectors({ db: other });
    expect(relisted.find((c) => c._id === 'old-one')).not.toBe(listed.find((c) => c._id === 'old-one'));
    expect(relisted.find((c) => c._id === 'old-one')).not.toHaveProperty('stats');

    const rev = await marker('connectors-changed');
    await ensureFiguresMoved({ db, logger });
    expect(await marker('connectors-changed')).toBe(rev);
    expect(await getFigures({ db, connectorId: 'old-one' })).toEqual({ ...legacy });
  });
});
