import { afterAll, beforeAll, expect, it } from 'vitest';
import { api, eventually } from '../support/api';
import { connectDatabase, createToken, type TestDatabase } from '../support/database';
import { startServer, type TestServer } from '../support/server';

/**
 * A long heartbeat interval (the seeds' teams use 10 minutes) does not slow down instance liveness: the instance
 * still records itself alive every few seconds between heartbeats, and the overview shows it alive.
 */

let server: TestServer;
let database: TestDatabase;

beforeAll(async () => {
  server = await startServer({ env: { HEARTBEAT_INTERVAL_MS: '600000' } });
  database = await connectDatabase(server);
});

afterAll(async () => {
  await database?.close();
  expect((await server?.dispose())?.orphans ?? []).toEqual([]);
});

it('with a 10-minute heartbeat, the instance record is refreshed between heartbeats and the instance shows alive', async () => {
  const instances = database.db.collection<{ _id: string; lastHeartbeatAt: Date }>('instances');
  const first = await eventually(async () => (await instances.findOne({ _id: server.instanceId })) ?? undefined, { what: 'the instance record' });
  await eventually(async () => ((await instances.findOne({ _id: server.instanceId }))?.lastHeartbeatAt.getTime() ?? 0) > first.lastHeartbeatAt.getTime(), {
    timeoutMs: 20_000,
    what: 'the instance record to be refreshed before the next heartbeat',
  });
  const { token } = await createToken(database.db, 'viewer');
  const overview = await api<{ heartbeatIntervalMs: number; instances: Array<{ id: string; alive: boolean }> }>(server.url, '/api/overview', { auth: { token } });
  expect(overview.status).toBe(200);
  expect(overview.body.heartbeatIntervalMs).toBe(600_000);
  expect(overview.body.instances).toEqual([expect.objectContaining({ id: server.instanceId, alive: true })]);
});
