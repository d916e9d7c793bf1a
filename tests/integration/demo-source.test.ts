import { rm } from 'node:fs/promises';
import type { Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, type Auth, type ErrorBody } from '../support/api';
import { connectDatabase, createToken, type TestDatabase } from '../support/database';
import { startServer, type TestServer } from '../support/server';

/**
 * Demo mode on a real server: the first start seeds an http-json connector pointed at the server's own demo source
 * (through its loopback URL, whatever port it got), with the demo key as its encrypted secret. The demo source
 * answers only with that key; runs page through it, count created/updated/unchanged, and misbehave on demand.
 */

const ID = 'demo-customers';
let server: TestServer;
let database: TestDatabase;
let db: Db;
let admin: Auth;

interface Run {
  id: string;
  status: string;
  counts: Record<'fetched' | 'created' | 'updated' | 'unchanged' | 'skipped' | 'failed', number>;
  error?: { kind: string; message: string };
}
interface Connector {
  id: string;
  kind: string;
  enabled: boolean;
  config: Record<string, unknown> & { url: string; query: Record<string, string>; pagination: Record<string, unknown> };
  secrets: Record<string, { set: boolean }>;
  schedules: Array<{ id: string; type: string; everySeconds?: number }>;
}

beforeAll(async () => {
  server = await startServer({ env: { SYNCDECK_DEMO: 'true' } });
  database = await connectDatabase(server);
  db = database.db;
  admin = { token: (await createToken(db, 'admin')).token };
});

afterAll(async () => {
  await database?.close();
  const stopped = await server?.stop();
  if (server) await rm(server.dataDir, { recursive: true, force: true });
  expect(stopped?.orphans ?? []).toEqual([]);
});

async function run(): Promise<Run> {
  const res = await api<Run>(server.url, `/api/connectors/${ID}/run?wait=true`, { method: 'POST', auth: admin });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

async function patchConfig(change: (config: Connector['config']) => Connector['config'], extra: Record<string, unknown> = {}) {
  const current = (await api<Connector>(server.url, `/api/connectors/${ID}`, { auth: admin })).body;
  const res = await api<Connector>(server.url, `/api/connectors/${ID}`, { method: 'PATCH', auth: admin, body: { config: change(structuredClone(current.config)), ...extra } });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

describe('demo mode', () => {
  it('seeds an http-json connector at the server’s own demo source, scheduled every minute, with the key as a secret', async () => {
    const res = await api<Connector>(server.url, `/api/connectors/${ID}`, { auth: admin });
    expect(res.status).toBe(200);
    const connector = res.body;
    expect(connector.kind).toBe('http-json');
    expect(connector.config.url).toBe(`${server.url}/api/demo-source/customers`);
    expect(connector.config.auth).toEqual({ type: 'apiKey', in: 'header', name: 'X-API-Key' });
    expect(connector.secrets).toEqual({ apiKey: { set: true, updatedAt: expect.any(String) } });
    expect(connector.schedules).toEqual([expect.objectContaining({ type: 'interval', everySeconds: 60 })]);
    const stored = await db.collection('connectors').findOne({ _id: ID as never });
    expect(stored!.secrets.apiKey.value).toMatch(/^enc:v1:/);
  });

  it('refuses the demo source without its key, and the key opens nothing else', async () => {
    const path = '/api/demo-source/customers';
    const none = await api<ErrorBody>(server.url, path);
    expect(none.status).toBe(401);
    expect(none.body.error.code).toBe('unauthorized');
    expect((await api(server.url, path, { headers: { 'x-api-key': 'demo_not-the-key' } })).status).toBe(401);
    // A user's API token is not the demo key either (and leaks nothing through here).
    expect((await api(server.url, path, { auth: admin })).status).toBe(401);
    // Bad parameters are refused only after the key was checked: without it, still 401.
    expect((await api(server.url, `${path}?per_page=5000`)).status).toBe(401);
    expect((await api(server.url, '/api/connectors', { headers: { 'x-api-key': 'demo_not-the-key' } })).status).toBe(401);
  });

  it('runs: pages through every customer, then the incremental run creates nothing new', async () => {
    // Scheduled runs would interleave with the ones this test starts; the misbehaviour is turned off to count exactly.
    await patchConfig((config) => ({ ...config, query: { fail_rate: '0', throttle_rate: '0', slow_rate: '0', outage_rate: '0' } }), { schedules: [] });
    const first = await run();
    expect(first.status, JSON.stringify(first.error)).toBe('succeeded');
    expect(first.counts).toMatchObject({ fetched: 500, created: 500, updated: 0, unchanged: 0, failed: 0 });
    expect(await db.collection('demo_source_customers').countDocuments()).toBe(500);
    expect(await db.collection('demo_source_customers').findOne({ _id: 'cus_00042' as never })).toMatchObject({ id: 'cus_00042', email: expect.stringContaining('@example.com') });
    const checkpoint = await db.collection('checkpoints').findOne({ _id: ID as never });
    const since = (JSON.parse(checkpoint!.json as string) as { since: string }).since;
    expect(Date.parse(since)).toBeLessThanOrEqual(Date.now());

    const second = await run();
    expect(second.status, JSON.stringify(second.error)).toBe('succeeded');
    expect(second.counts.created).toBe(0);
    // Only customers changed since the last run's newest one (and that one itself) come again.
    expect(second.counts.fetched).toBeGreaterThan(0);
    expect(second.counts.fetched).toBeLessThan(500);
    expect(second.counts.updated + second.counts.unchanged).toBe(second.counts.fetched);
    expect(await db.collection('demo_source_customers').countDocuments()).toBe(500);
  });

  it('fails with a classified error when the demo source always answers 503', async () => {
    await patchConfig((config) => ({ ...config, retries: 1, query: { ...config.query, fail_rate: '1' } }));
    const failed = await run();
    expect(failed.status).toBe('failed');
    expect(failed.error?.kind).toBe('upstream');
    expect(failed.error?.message).toMatch(/503/);
    expect(failed.error?.message).toMatch(/after 2 attempts/);
  });

  it('answers bad parameters with 400 naming the field, which fails the run as a config error', async () => {
    await patchConfig((config) => ({ ...config, retries: 0, query: { ...config.query, fail_rate: '0' }, pagination: { ...config.pagination, size: 500 } }));
    const failed = await run();
    expect(failed.status).toBe('failed');
    expect(failed.error?.kind).toBe('config');
    expect(failed.error?.message).toMatch(/400/);
    expect(failed.error?.message).toContain('per_page: must be at most 200');
  });

  it('follows the server to another port on the next start, and seeds only once', async () => {
    const before = server.url;
    await database.close();
    expect((await server.stop()).orphans).toEqual([]);
    server = await startServer({ env: { SYNCDECK_DEMO: 'true' }, dataDir: server.dataDir });
    database = await connectDatabase(server);
    db = database.db;
    expect(server.url).not.toBe(before);
    const connector = (await api<Connector>(server.url, `/api/connectors/${ID}`, { auth: admin })).body;
    expect(connector.config.url).toBe(`${server.url}/api/demo-source/customers`);
    // Re-pointing kept what the user changed (the previous test's page size) and did not seed a second connector.
    expect(connector.config.pagination).toMatchObject({ size: 500 });
    expect(await db.collection('connectors').countDocuments({ _id: { $regex: '^demo' } as never })).toBe(1);
  });
});
