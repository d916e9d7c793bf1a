import { statSync } from 'node:fs';
import path from 'node:path';
import type { Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, type Auth, type ErrorBody } from '../support/api';
import { connectDatabase, type TestDatabase } from '../support/database';
import { record, watchConnectorsAsAdmin, type ClientSocket } from '../support/realtime';
import { startServer, type TestServer } from '../support/server';
import { startFakeApi, type FakeApi } from '../fixtures/fake-api';

/**
 * The http-json connector kind on the real server and database, against a fake upstream on 127.0.0.1: connectors
 * created over REST with secrets, run with ?wait=true, records checked in the destination collection. Secrets
 * must never come back: not from the API, not in run logs or errors, not over Socket.IO.
 */

const TOKEN = 'tok-7f3a9c-super-secret-bearer';
const WRONG = 'tok-wrong-but-still-secret-5521';
const QUERY_KEY = 'qk-1b2c3d4e5f-query-api-key';

let server: TestServer;
let upstream: FakeApi;
let database: TestDatabase;
let db: Db;
let admin: Auth;
let socket: ClientSocket;
let events: ReturnType<typeof record>;

interface Run {
  id: string;
  status: string;
  counts: Record<'fetched' | 'created' | 'updated' | 'unchanged' | 'skipped' | 'failed', number>;
  error?: { kind: string; message: string };
  log?: Array<{ level: string; message: string }>;
}
interface Connector {
  id: string;
  config: Record<string, unknown>;
  secrets: Record<string, { set: boolean; updatedAt: string }>;
}

const IDS = ['hj-page', 'hj-offset', 'hj-cursor', 'hj-link', 'hj-next', 'hj-inc', 'hj-auth', 'hj-429', 'hj-query', 'hj-filter', 'hj-bad'];

beforeAll(async () => {
  [server, upstream] = await Promise.all([startServer(), startFakeApi({ records: 45, auth: { bearer: TOKEN, apiKeyQuery: { name: 'api_key', value: QUERY_KEY } } })]);
  database = await connectDatabase(server);
  db = database.db;
  ({ admin, socket, events } = await watchConnectorsAsAdmin(server.url, db, IDS));
});

afterAll(async () => {
  socket?.close();
  await database?.close();
  await upstream?.close();
  const stopped = await server?.dispose();
  expect(stopped?.orphans ?? []).toEqual([]);
});

const base = (path: string, extra: Record<string, unknown> = {}) => ({
  url: `${upstream.url}${path}`,
  auth: { type: 'bearer' },
  retries: 1,
  ...extra,
});

async function create(id: string, config: Record<string, unknown>, secrets: Record<string, string | null> = { token: TOKEN }) {
  const res = await api<Connector>(server.url, '/api/connectors', { auth: admin, body: { id, name: id, kind: 'http-json', config, secrets } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

async function run(id: string): Promise<Run> {
  const res = await api<Run>(server.url, `/api/connectors/${id}/run?wait=true`, { method: 'POST', auth: admin });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

const checkpointOf = async (id: string) => (await db.collection<{ _id: string; json: string }>('checkpoints').findOne({ _id: id }))?.json;

describe('creating with secrets', () => {
  it('stores secrets encrypted and answers only that they are set', async () => {
    const created = await create('hj-page', base('/page', { pagination: { type: 'page', sizeParam: 'per_page', size: 10 }, destination: { collection: 'hj_page' } }));
    expect(created.secrets).toEqual({ token: { set: true, updatedAt: expect.any(String) } });
    expect(JSON.stringify(created)).not.toContain(TOKEN);
    const stored = await db.collection('connectors').findOne({ _id: 'hj-page' as never });
    expect(stored!.secrets.token.value).toMatch(/^enc:v1:/);
    expect(JSON.stringify(stored)).not.toContain(TOKEN);
    for (const path of ['/api/connectors', '/api/connectors/hj-page', '/api/connectors/hj-page/status', '/api/overview']) {
      const res = await api(server.url, path, { auth: admin });
      expect(res.status).toBe(200);
      expect(JSON.stringify(res.body)).not.toContain(TOKEN);
    }
  });

  it('names a missing or unknown secret in the field errors and changes nothing', async () => {
    const missing = await api<ErrorBody>(server.url, '/api/connectors', { auth: admin, body: { id: 'hj-bad', name: 'x', kind: 'http-json', config: base('/page', { destination: { collection: 'hj_bad' } }) } });
    expect(missing.status).toBe(400);
    expect(missing.body.error.fields).toContainEqual({ path: 'secrets.token', message: 'is required: config.auth.type is bearer' });
    const unknown = await api<ErrorBody>(server.url, '/api/connectors/hj-page', { method: 'PATCH', auth: admin, body: { secrets: { tokn: 'abc-value' } } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.fields?.[0]?.path).toBe('secrets');
    expect(JSON.stringify(unknown.body)).not.toContain('abc-value');
    const removeRequired = await api<ErrorBody>(server.url, '/api/connectors/hj-page', { method: 'PATCH', auth: admin, body: { secrets: { token: null } } });
    expect(removeRequired.status).toBe(400);
    expect(removeRequired.body.error.fields).toContainEqual({ path: 'secrets.token', message: 'is required: config.auth.type is bearer' });
    const bad = await api<ErrorBody>(server.url, '/api/connectors/hj-page', { method: 'PATCH', auth: admin, body: { config: { url: 'not a url' } } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields?.map((f) => f.path)).toContain('config.url');
    expect((await api<Connector>(server.url, '/api/connectors/hj-page', { auth: admin })).body.secrets.token?.set).toBe(true);
  });
});

describe('running', () => {
  it('pages through the source, upserts by id, and a re-run creates no duplicates', async () => {
    const first = await run('hj-page');
    expect(first.status).toBe('succeeded');
    expect(first.counts).toMatchObject({ fetched: 45, created: 45, updated: 0, unchanged: 0, failed: 0 });
    expect(await db.collection('hj_page').countDocuments()).toBe(45);
    expect(await db.collection('hj_page').findOne({ _id: 7 as never })).toMatchObject({ id: 7, name: 'Record 7' });
    const second = await run('hj-page');
    expect(second.counts).toMatchObject({ fetched: 45, created: 0, updated: 0, unchanged: 45 });
    expect(await db.collection('hj_page').countDocuments()).toBe(45);
  });

  it.each([
    ['hj-offset', '/offset', { pagination: { type: 'offset', limit: 10 }, itemsPath: 'data', totalPath: 'total' }],
    ['hj-cursor', '/cursor', { pagination: { type: 'cursor', cursorPath: 'next_cursor', param: 'cursor' }, itemsPath: 'items' }],
    ['hj-link', '/link', { pagination: { type: 'link' } }],
    ['hj-next', '/next', { pagination: { type: 'nextUrl', path: 'next' }, itemsPath: 'results' }],
  ])('%s: pagination by %s', async (id, path, config) => {
    const collection = id.replace('-', '_');
    await create(id, base(path, { ...config, destination: { collection } }));
    const done = await run(id);
    expect(done.status, JSON.stringify(done.error)).toBe('succeeded');
    expect(done.counts).toMatchObject({ fetched: 45, created: 45 });
    expect(await db.collection(collection).countDocuments()).toBe(45);
  });

  it('writes only the records the filter keeps, counting the others as skipped', async () => {
    await create('hj-filter', base('/link', { pagination: { type: 'link' }, filter: { field: 'status', equals: 'approved' }, destination: { collection: 'hj_filter' } }));
    const done = await run('hj-filter');
    expect(done.counts).toMatchObject({ fetched: 45, created: 30, skipped: 15 });
    expect(await db.collection('hj_filter').countDocuments({ status: 'pending' })).toBe(0);
  });
});

describe('incremental runs and the checkpoint', () => {
  it('fetches only what changed, and a failed run does not advance the checkpoint', async () => {
    await create('hj-inc', base('/page', { pagination: { type: 'page', sizeParam: 'per_page', size: 10 }, incremental: { param: 'updated_since', field: 'updated_at' }, destination: { collection: 'hj_inc' } }));
    expect((await run('hj-inc')).counts).toMatchObject({ fetched: 45, created: 45 });
    const afterFirst = await checkpointOf('hj-inc');
    expect(JSON.parse(afterFirst!)).toEqual({ since: upstream.records[44]!.updated_at });

    upstream.touch(5, { name: 'Record 5 renamed' });
    upstream.touch(7, { status: 'pending' });
    const second = await run('hj-inc');
    expect(second.counts).toMatchObject({ fetched: 2, created: 0, updated: 2 });
    expect(await db.collection('hj_inc').findOne({ _id: 5 as never })).toMatchObject({ name: 'Record 5 renamed' });
    const afterSecond = await checkpointOf('hj-inc');
    expect(afterSecond).not.toBe(afterFirst);

    upstream.touch(9, { name: 'Record 9 renamed' });
    upstream.fail('/page', { truncate: true });
    const failed = await run('hj-inc');
    expect(failed.status).toBe('failed');
    expect(failed.error?.kind).toBe('bad-data');
    expect(await checkpointOf('hj-inc')).toBe(afterSecond);

    const recovered = await run('hj-inc');
    expect(recovered.status).toBe('succeeded');
    expect(recovered.counts).toMatchObject({ fetched: 1, updated: 1 });
    expect(await db.collection('hj_inc').countDocuments()).toBe(45);

    // checkpoint: null forgets it; the next run fetches everything again (and changes nothing).
    expect((await api(server.url, '/api/connectors/hj-inc', { method: 'PATCH', auth: admin, body: { checkpoint: null } })).status).toBe(200);
    expect(await checkpointOf('hj-inc')).toBeUndefined();
    expect((await run('hj-inc')).counts).toMatchObject({ fetched: 45, unchanged: 45 });
  });
});

describe('upstream faults', () => {
  it('a wrong token fails as auth without showing it; fixing the secret over PATCH makes it pass', async () => {
    const created = await create('hj-auth', base('/page', { destination: { collection: 'hj_auth' } }), { token: WRONG });
    const failed = await run('hj-auth');
    expect(failed.status).toBe('failed');
    expect(failed.error?.kind).toBe('auth');
    const detail = await api<Run>(server.url, `/api/runs/${encodeURIComponent(failed.id)}`, { auth: admin });
    expect(JSON.stringify(detail.body)).not.toContain(WRONG);

    const patched = await api<Connector>(server.url, '/api/connectors/hj-auth', { method: 'PATCH', auth: admin, body: { secrets: { token: TOKEN } } });
    expect(patched.status).toBe(200);
    expect(patched.body.secrets.token!.updatedAt > created.secrets.token!.updatedAt).toBe(true);
    expect(JSON.stringify(patched.body)).not.toContain(TOKEN);
    expect((await run('hj-auth')).status).toBe('succeeded');
  });

  it('waits out a 429 with Retry-After and succeeds, logging the retry', async () => {
    await create('hj-429', base('/page', { destination: { collection: 'hj_429' } }));
    upstream.fail('/page', { status: 429, retryAfter: '1' });
    const done = await run('hj-429');
    expect(done.status).toBe('succeeded');
    const detail = await api<Run>(server.url, `/api/runs/${encodeURIComponent(done.id)}`, { auth: admin });
    expect(detail.body.log?.some((l) => l.level === 'warn' && /429.*retry 1 in 1\.0 s/.test(l.message))).toBe(true);
  });

  it('an API key in the query never shows in the run log, even in the messages of retried 5xx', async () => {
    await create('hj-query', { url: `${upstream.url}/page`, auth: { type: 'apiKey', in: 'query', name: 'api_key' }, retries: 1, destination: { collection: 'hj_query' } }, { apiKey: QUERY_KEY });
    upstream.fail('/page', { status: 503, body: `backend down; your key was ${QUERY_KEY}` }, { status: 503, body: `still down ${QUERY_KEY}` });
    const done = await run('hj-query');
    expect(done.status).toBe('failed');
    expect(done.error?.kind).toBe('upstream');
    expect(done.error?.message).toContain('[redacted]');
    const detail = await api<Run>(server.url, `/api/runs/${encodeURIComponent(done.id)}`, { auth: admin });
    expect(detail.body.log!.length).toBeGreaterThan(2);
    expect(JSON.stringify(detail.body)).not.toContain(QUERY_KEY);
  });
});

describe('secrets never leave the server', () => {
  it('in development the secrets key was generated once under the data dir, readable only by its owner', () => {
    expect(statSync(path.join(server.dataDir, 'secrets-key')).mode & 0o777).toBe(0o600);
  });

  it('no socket event carried a secret value', async () => {
    expect(events.events.some((e) => e.event === 'sync:log')).toBe(true);
    expect(events.events.some((e) => e.event === 'connector:updated' && (e.payload as { secretsChanged?: string[] }).secretsChanged?.includes('token'))).toBe(true);
    const all = JSON.stringify(events.events);
    for (const secret of [TOKEN, WRONG, QUERY_KEY]) expect(all).not.toContain(secret);
  });

  it('the server log holds none either', () => {
    for (const secret of [TOKEN, WRONG, QUERY_KEY]) expect(server.logs()).not.toContain(secret);
  });
});
