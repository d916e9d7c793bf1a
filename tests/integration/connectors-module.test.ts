import { cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, type Auth, type ErrorBody } from '../support/api';
import { connectDatabase, type TestDatabase } from '../support/database';
import { record, watchConnectorsAsAdmin, type ClientSocket } from '../support/realtime';
import { ROOT, startServer, type TestServer } from '../support/server';
import { CREDENTIALS, startFakeVendors, type FakeVendors } from '../fixtures/fake-vendors';

/**
 * Module connectors on the real server: the user's own files in SYNCDECK_CONNECTORS_DIR (here a copy of
 * tests/fixtures/connectors inside the project, so `syncdeck/connector` and zod resolve as they do for a real
 * installation). Broken modules are reported at start and refused on save with the file and the problem; a
 * changed file is imported again; progress, counts, log lines and the checkpoint reach the run record.
 */

let server: TestServer;
let vendors: FakeVendors;
let database: TestDatabase;
let db: Db;
let admin: Auth;
let socket: ClientSocket;
let events: ReturnType<typeof record>;
let dir: string;

interface Run {
  id: string;
  status: string;
  counts: Record<'fetched' | 'created' | 'updated' | 'unchanged' | 'skipped' | 'failed', number>;
  progress?: { done: number; total?: number; phase?: string };
  error?: { kind: string; message: string };
  log?: Array<{ level: string; message: string }>;
}

const IDS = ['m-feed', 'm-fail', 'm-reload'];

beforeAll(async () => {
  dir = mkdtempSync(path.join(ROOT, 'test-results', 'connectors-'));
  cpSync(path.join(ROOT, 'tests', 'fixtures', 'connectors'), dir, { recursive: true });
  // A module that does not compile (kept out of the fixtures so the project's type check stays clean).
  writeFileSync(path.join(dir, 'syntax-error.mjs'), 'export default {\n');
  symlinkSync(path.join(ROOT, 'tests', 'fixtures', 'connectors', 'inventory-feed.ts'), path.join(dir, 'outside.ts'));
  [server, vendors] = await Promise.all([startServer({ env: { SYNCDECK_CONNECTORS_DIR: dir } }), startFakeVendors()]);
  database = await connectDatabase(server);
  db = database.db;
  ({ admin, socket, events } = await watchConnectorsAsAdmin(server.url, db, IDS));
});

afterAll(async () => {
  socket?.close();
  await database?.close();
  await vendors?.close();
  const stopped = await server?.dispose();
  if (dir) rmSync(dir, { recursive: true, force: true });
  expect(stopped?.orphans ?? []).toEqual([]);
});

const feedOptions = (extra: Record<string, unknown> = {}) => ({ url: `${vendors.url}/feed`, ...extra });

async function create(id: string, config: Record<string, unknown>, secrets: Record<string, string> = { token: CREDENTIALS.feed.token }) {
  return api<ErrorBody & { id: string }>(server.url, '/api/connectors', { auth: admin, body: { id, name: id, kind: 'module', config, secrets } });
}

async function run(id: string): Promise<Run> {
  const res = await api<Run>(server.url, `/api/connectors/${id}/run?wait=true`, { method: 'POST', auth: admin });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return (await api<Run>(server.url, `/api/runs/${encodeURIComponent(res.body.id)}`, { auth: admin })).body;
}

const checkpointOf = async (id: string) => (await db.collection<{ _id: string; json: string }>('checkpoints').findOne({ _id: id }))?.json;

describe('loading', () => {
  it('reports each broken module at start with the file and what is wrong', () => {
    const logs = server.logs();
    expect(logs).toContain('no-export.ts: does not export a connector');
    expect(logs).toContain('bad-run.mjs: does not export a valid connector: run must be a function (found string); configSchema must be a zod schema');
    expect(logs).toContain('syntax-error.mjs: cannot be loaded');
    expect(logs).toContain('outside.ts: resolves outside the connectors directory');
  });

  it.each([
    ['../inventory-feed.ts', 'must be a path inside the connectors directory such as shop-sync.ts (no .., not absolute)'],
    ['/etc/passwd.js', 'must be a path inside the connectors directory such as shop-sync.ts (no .., not absolute)'],
    ['inventory-feed.py', 'must end with .ts, .mts, .js, .mjs'],
    ['missing.ts', expect.stringContaining('no such file in the connectors directory')],
    ['outside.ts', 'resolves outside the connectors directory (symbolic link?)'],
    ['no-export.ts', expect.stringContaining('does not export a connector: expected "export default defineConnector({ … })"')],
  ])('refuses module %s on save', async (module, message) => {
    const res = await create('m-bad', { module, options: feedOptions() });
    expect(res.status).toBe(400);
    expect(res.body.error.fields).toContainEqual({ path: 'config.module', message });
  });

  it("checks options against the module's own schema on save", async () => {
    const res = await create('m-bad', { module: 'inventory-feed.ts', options: { url: 'not a url', failAfterPages: 0 } });
    expect(res.status).toBe(400);
    expect(res.body.error.fields?.map((f) => f.path)).toEqual(expect.arrayContaining(['config.options.url', 'config.options.failAfterPages']));
  });
});

describe('running', () => {
  it('runs the example module: records, counts, progress and log lines reach the run record and the sockets', async () => {
    expect((await create('m-feed', { module: 'inventory-feed.ts', options: feedOptions() })).status).toBe(201);
    const first = await run('m-feed');
    expect(first.status, JSON.stringify(first.error)).toBe('succeeded');
    expect(first.counts).toMatchObject({ fetched: 25, created: 25, updated: 0, failed: 0 });
    expect(first.progress).toEqual({ done: 25, total: 25, phase: 'page 3' });
    expect(first.log?.map((l) => l.message)).toEqual(expect.arrayContaining(['feed versions after 0', 'read 3 pages']));
    expect(await db.collection('inventory_items').countDocuments()).toBe(25);
    expect(await db.collection('inventory_items').findOne({ _id: 'F-3' as never })).toMatchObject({ version: 3, qty: 2 });
    expect(JSON.parse((await checkpointOf('m-feed'))!)).toEqual({ version: 25 });
    await events.waitFor('sync:finish', (e) => e.runId === first.id);
    expect(events.events.some((e) => e.event === 'sync:log' && (e.payload as { message: string }).message === 'read 3 pages')).toBe(true);
    expect(events.events.some((e) => e.event === 'sync:progress' && (e.payload as { runId: string }).runId === first.id)).toBe(true);

    vendors.feed.push({ sku: 'F-26', version: 26, qty: 1 });
    const second = await run('m-feed');
    expect(second.counts).toMatchObject({ fetched: 1, created: 1 });
    expect(await db.collection('inventory_items').countDocuments()).toBe(26);
  });

  it('a failing module fails the run and does not advance the checkpoint; re-running creates no duplicates', async () => {
    expect((await create('m-fail', { module: 'inventory-feed.ts', options: feedOptions({ collection: 'feed_fail', failAfterPages: 2 }) })).status).toBe(201);
    const failed = await run('m-fail');
    expect(failed.status).toBe('failed');
    expect(failed.error).toEqual({ kind: 'upstream', message: 'feed broke after 2 pages' });
    expect(failed.counts).toMatchObject({ fetched: 20, created: 20 });
    expect(await checkpointOf('m-fail')).toBeUndefined();
    expect((await api(server.url, '/api/connectors/m-fail', { method: 'PATCH', auth: admin, body: { config: { module: 'inventory-feed.ts', options: feedOptions({ collection: 'feed_fail' }) } } })).status).toBe(200);
    const ok = await run('m-fail');
    expect(ok.counts).toMatchObject({ fetched: 26, created: 6, unchanged: 20 });
    expect(await db.collection('feed_fail').countDocuments()).toBe(26);
  });

  it('a secret that breaks the module secrets schema fails as config, naming the secret but not its value', async () => {
    const res = await create('m-secret', { module: 'inventory-feed.ts', options: feedOptions({ collection: 'feed_secret' }) }, { token: 'short' });
    expect(res.status).toBe(201);
    const failed = await run('m-secret');
    expect(failed.error?.kind).toBe('config');
    expect(failed.error?.message).toMatch(/^inventory-feed\.ts: secrets\.token: /);
  });

  it('imports a module again when its file changed', async () => {
    const file = path.join(dir, 'reloaded.ts');
    const source = (label: string) =>
      `import { defineConnector } from 'syncdeck/connector';\nexport default defineConnector({ async run(ctx) { ctx.log('info', 'version ${label}'); ctx.counts.fetched = ${label.length}; } });\n`;
    writeFileSync(file, source('one'));
    expect((await create('m-reload', { module: 'reloaded.ts' })).status).toBe(201);
    const first = await run('m-reload');
    expect(first.log?.some((l) => l.message === 'version one')).toBe(true);
    writeFileSync(file, source('three'));
    const second = await run('m-reload');
    expect(second.log?.some((l) => l.message === 'version three')).toBe(true);
    expect(second.counts.fetched).toBe(5);

    writeFileSync(file, 'export const unrelated = 1;\n');
    const broken = await run('m-reload');
    expect(broken.error).toEqual({ kind: 'config', message: 'reloaded.ts: does not export a connector: expected "export default defineConnector({ … })" (or an export named connector); it exports unrelated' });
  });
});
