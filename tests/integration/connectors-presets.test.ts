import type { Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, type Auth, type ErrorBody } from '../support/api';
import { connectDatabase, createToken, type TestDatabase } from '../support/database';
import { startServer, type TestServer } from '../support/server';
import { CREDENTIALS, SHEET_ID, startFakeVendors, type FakeVendors } from '../fixtures/fake-vendors';

/**
 * The vendor presets on the real server and database, each against a fake of its vendor's API on 127.0.0.1:
 * created over REST with only the vendor-specific fields and credentials, run with ?wait=true, records checked
 * in the destination; re-runs create no duplicates; auth failures, 429 with Retry-After, 5xx, truncated JSON
 * and slow answers end the way they should, and a failed run never advances the checkpoint.
 */

let server: TestServer;
let vendors: FakeVendors;
let database: TestDatabase;
let db: Db;
let admin: Auth;

interface Run {
  id: string;
  status: string;
  counts: Record<'fetched' | 'created' | 'updated' | 'unchanged' | 'skipped' | 'failed', number>;
  error?: { kind: string; message: string };
  log?: Array<{ level: string; message: string }>;
}

beforeAll(async () => {
  [server, vendors] = await Promise.all([startServer(), startFakeVendors()]);
  database = await connectDatabase(server);
  db = database.db;
  admin = { token: (await createToken(db, 'admin')).token };
});

afterAll(async () => {
  await database?.close();
  await vendors?.close();
  const stopped = await server?.dispose();
  expect(stopped?.orphans ?? []).toEqual([]);
});

async function create(id: string, kind: string, config: Record<string, unknown>, secrets: Record<string, string>) {
  const res = await api<{ secrets: unknown }>(server.url, '/api/connectors', { auth: admin, body: { id, name: id, kind, config, secrets } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  for (const value of Object.values(secrets)) expect(JSON.stringify(res.body)).not.toContain(value);
}

async function run(id: string): Promise<Run> {
  const res = await api<Run>(server.url, `/api/connectors/${id}/run?wait=true`, { method: 'POST', auth: admin });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

const logOf = async (runId: string) => (await api<Run>(server.url, `/api/runs/${encodeURIComponent(runId)}`, { auth: admin })).body.log ?? [];
const checkpointOf = async (id: string) => (await db.collection<{ _id: string; json: string }>('checkpoints').findOne({ _id: id }))?.json;
const setSecrets = async (id: string, secrets: Record<string, string>) =>
  expect((await api(server.url, `/api/connectors/${id}`, { method: 'PATCH', auth: admin, body: { secrets } })).status).toBe(200);

describe('jira-issues', () => {
  const config = () => ({ site: vendors.url, email: CREDENTIALS.jira.email, jql: 'project = OPS', pageSize: 50, retries: 1 });

  it('pages by nextPageToken, then asks only for issues updated since the last run (to the minute)', async () => {
    await create('p-jira', 'jira-issues', config(), { apiToken: CREDENTIALS.jira.token });
    const first = await run('p-jira');
    expect(first.status, JSON.stringify(first.error)).toBe('succeeded');
    expect(first.counts).toMatchObject({ fetched: 120, created: 120 });
    expect(await db.collection('jira_issues').findOne({ _id: '10005' as never })).toMatchObject({ key: 'OPS-5', fields: { summary: 'Issue 5' } });
    expect(vendors.requests.filter((r) => r.url.startsWith('/rest/api/3/search/jql')).length).toBe(3);
    expect(JSON.parse((await checkpointOf('p-jira'))!)).toEqual({ since: vendors.jira[119]!.fields.updated });

    vendors.touch('jira', 3, 'Issue 4 renamed');
    const second = await run('p-jira');
    const sent = new URL(vendors.requests.at(-1)!.url, 'http://x').searchParams;
    expect(sent.get('jql')).toMatch(/^\(project = OPS\) AND updated >= "2025\/01\/01 09:59" ORDER BY updated ASC$/);
    expect(sent.get('fields')).toBe('*navigable,updated');
    // The minute overlap re-reads the last issue of the first run (unchanged) and finds the renamed one.
    expect(second.counts).toMatchObject({ fetched: 2, created: 0, updated: 1, unchanged: 1 });
    expect(await db.collection('jira_issues').countDocuments()).toBe(120);
  });

  it('truncated JSON fails as bad data and leaves the checkpoint; the next run recovers', async () => {
    const before = await checkpointOf('p-jira');
    vendors.touch('jira', 7, 'Issue 8 renamed');
    vendors.fail('/rest/api/3/search/jql', { truncate: true });
    const failed = await run('p-jira');
    expect(failed.status).toBe('failed');
    expect(failed.error?.kind).toBe('bad-data');
    expect(await checkpointOf('p-jira')).toBe(before);
    const recovered = await run('p-jira');
    expect(recovered.status).toBe('succeeded');
    expect(recovered.counts.updated).toBe(1);
    expect(await checkpointOf('p-jira')).not.toBe(before);
  });

  it('a wrong API token fails as auth and never shows', async () => {
    await create('p-jira-auth', 'jira-issues', { ...config(), collection: 'jira_auth' }, { apiToken: 'wrong-jira-token-77' });
    const failed = await run('p-jira-auth');
    expect(failed.error?.kind).toBe('auth');
    expect(JSON.stringify(await logOf(failed.id))).not.toContain('wrong-jira-token-77');
    expect(await checkpointOf('p-jira-auth')).toBeUndefined();
  });

  it('refuses a bad configuration naming the field and the rule', async () => {
    const res = await api<ErrorBody>(server.url, '/api/connectors', {
      auth: admin,
      body: { id: 'p-jira-bad', name: 'x', kind: 'jira-issues', config: { ...config(), jql: 'project = OPS ORDER BY key', unknown: 1 }, secrets: {} },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.fields).toEqual(
      expect.arrayContaining([
        { path: 'config.jql', message: 'must not contain ORDER BY (Syncdeck orders by updated)' },
        { path: 'config.unknown', message: 'is not a known field' },
      ]),
    );
  });
});

describe('freshservice-tickets', () => {
  it('follows the Link header 100 at a time with the API key as user, waits out a 429, and pulls incrementally', async () => {
    await create('p-fresh', 'freshservice-tickets', { site: vendors.url, retries: 2 }, { apiKey: CREDENTIALS.freshservice.apiKey });
    vendors.fail('/api/v2/tickets', { status: 429, retryAfter: '1' });
    const first = await run('p-fresh');
    expect(first.status, JSON.stringify(first.error)).toBe('succeeded');
    expect(first.counts).toMatchObject({ fetched: 150, created: 150 });
    expect((await logOf(first.id)).some((l) => l.level === 'warn' && /429.*retry 1 in 1\.0 s/.test(l.message))).toBe(true);
    const asked = vendors.requests.filter((r) => r.url.startsWith('/api/v2/tickets')).map((r) => new URL(r.url, 'http://x').searchParams);
    expect(asked.at(-2)!.get('updated_since')).toBe('2000-01-01T00:00:00Z');
    expect(asked.at(-1)!.get('updated_since')).toBe('2000-01-01T00:00:00Z');
    expect(asked.at(-1)!.get('page')).toBe('2');
    expect(asked.at(-1)!.get('per_page')).toBe('100');

    vendors.touch('ticket', 10, 'Onboard 11 (moved)');
    const second = await run('p-fresh');
    expect(second.counts).toMatchObject({ created: 0, updated: 1 });
    expect(await db.collection('freshservice_tickets').countDocuments()).toBe(150);
    expect(await db.collection('freshservice_tickets').findOne({ _id: 11 as never })).toMatchObject({ subject: 'Onboard 11 (moved)' });
  });

  it('a wrong API key fails as auth', async () => {
    await create('p-fresh-auth', 'freshservice-tickets', { site: vendors.url, collection: 'fresh_auth' }, { apiKey: 'wrong-fs-key-11' });
    expect((await run('p-fresh-auth')).error?.kind).toBe('auth');
  });
});

describe('snipeit-hardware', () => {
  it('pages by offset over rows/total, retries a 5xx, and a re-run changes nothing', async () => {
    await create('p-snipe', 'snipeit-hardware', { site: `${vendors.url}/api/v1`, pageSize: 20, retries: 2 }, { token: CREDENTIALS.snipeIt.token });
    vendors.fail('/api/v1/hardware', { status: 502 });
    const first = await run('p-snipe');
    expect(first.status, JSON.stringify(first.error)).toBe('succeeded');
    expect(first.counts).toMatchObject({ fetched: 45, created: 45 });
    const offsets = vendors.requests.filter((r) => r.url.startsWith('/api/v1/hardware')).map((r) => new URL(r.url, 'http://x').searchParams.get('offset'));
    expect(offsets.slice(-3)).toEqual(['0', '20', '40']);
    const second = await run('p-snipe');
    expect(second.counts).toMatchObject({ fetched: 45, created: 0, unchanged: 45 });
    expect(await db.collection('snipeit_hardware').countDocuments()).toBe(45);
  });

  it('a slow answer past timeoutSeconds fails as timeout; a CA file that cannot be read fails as config', async () => {
    await create('p-snipe-slow', 'snipeit-hardware', { site: vendors.url, timeoutSeconds: 1, retries: 0, collection: 'snipe_slow' }, { token: CREDENTIALS.snipeIt.token });
    vendors.fail('/api/v1/hardware', { delayMs: 2500 });
    const slow = await run('p-snipe-slow');
    expect(slow.status).toBe('failed');
    expect(slow.error?.kind).toBe('timeout');

    await create('p-snipe-ca', 'snipeit-hardware', { site: vendors.url, caFile: '/nonexistent/proxy-ca.pem', collection: 'snipe_ca' }, { token: CREDENTIALS.snipeIt.token });
    const ca = await run('p-snipe-ca');
    expect(ca.error).toMatchObject({ kind: 'config', message: expect.stringContaining('config.tls.caFile: cannot read /nonexistent/proxy-ca.pem') });
  });
});

describe('smartsheet-rows', () => {
  it('keeps only approved rows, with cells keyed by column title', async () => {
    await create('p-sheet', 'smartsheet-rows', { sheetId: SHEET_ID, apiUrl: vendors.url, approved: { column: 'Approved' }, pageSize: 12 }, { token: CREDENTIALS.smartsheet.token });
    const first = await run('p-sheet');
    expect(first.status, JSON.stringify(first.error)).toBe('succeeded');
    expect(first.counts).toMatchObject({ fetched: 30, created: 20, skipped: 10 });
    expect(await db.collection('smartsheet_rows').findOne({ _id: 900_000 as never })).toMatchObject({ rowNumber: 1, cells: { 'Job Name': 'Job 1', Approved: true, Site: 'South' } });
    expect(await db.collection('smartsheet_rows').countDocuments({ 'cells.Approved': { $ne: true } })).toBe(0);
    expect((await run('p-sheet')).counts).toMatchObject({ created: 0, unchanged: 20, skipped: 10 });
  });

  it('a column title the sheet does not have fails as config, naming the columns there are', async () => {
    await create('p-sheet-col', 'smartsheet-rows', { sheetId: SHEET_ID, apiUrl: vendors.url, approved: { column: 'Signed off' }, collection: 'sheet_col' }, { token: CREDENTIALS.smartsheet.token });
    const failed = await run('p-sheet-col');
    expect(failed.error?.kind).toBe('config');
    expect(failed.error?.message).toContain('no column named "Signed off"; columns are "Job Name", "Approved", "Site"');
    expect(await db.collection('sheet_col').countDocuments()).toBe(0);
  });

  it('a wrong token fails as auth; fixing it over PATCH makes the run pass', async () => {
    await create('p-sheet-auth', 'smartsheet-rows', { sheetId: SHEET_ID, apiUrl: vendors.url, collection: 'sheet_auth' }, { token: 'wrong-sheet-token-3' });
    expect((await run('p-sheet-auth')).error?.kind).toBe('auth');
    await setSecrets('p-sheet-auth', { token: CREDENTIALS.smartsheet.token });
    expect((await run('p-sheet-auth')).counts).toMatchObject({ fetched: 30, created: 30 });
  });
});

describe('baselinker-products', () => {
  it('POSTs the form with the page in parameters and reads products keyed by id (paging over 1000s: presets-run.test.ts)', async () => {
    await create('p-bl', 'baselinker-products', { inventoryId: 307, apiUrl: `${vendors.url}/connector.php` }, { token: CREDENTIALS.baselinker.token });
    const first = await run('p-bl');
    expect(first.status, JSON.stringify(first.error)).toBe('succeeded');
    expect(first.counts).toMatchObject({ fetched: 40, created: 40 });
    const posts = vendors.requests.filter((r) => r.url === '/connector.php');
    expect(posts.map((r) => new URLSearchParams(r.body).get('parameters'))).toEqual(['{"inventory_id":307,"page":1}']);
    expect(posts[0]!.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(new URLSearchParams(posts[0]!.body).get('method')).toBe('getInventoryProductsList');
    expect(await db.collection('baselinker_products').findOne({ _id: 50_007 as never })).toMatchObject({ sku: 'SKU-7', stock: { bl_1: 0 } });
    expect((await run('p-bl')).counts).toMatchObject({ created: 0, unchanged: 40 });
  });

  it('an ERROR status fails with its code: a bad token as auth, a blocked token as rate-limited', async () => {
    await create('p-bl-auth', 'baselinker-products', { inventoryId: 307, apiUrl: `${vendors.url}/connector.php`, collection: 'bl_auth' }, { token: 'wrong-bl-token-99' });
    const bad = await run('p-bl-auth');
    expect(bad.error).toMatchObject({ kind: 'auth', message: expect.stringContaining('ERROR_BAD_TOKEN: Invalid user token') });
    vendors.fail('/connector.php', { status: 200, body: JSON.stringify({ status: 'ERROR', error_code: 'ERROR_BLOCKED_TOKEN', error_message: 'Token blocked: too many requests' }) });
    await setSecrets('p-bl-auth', { token: CREDENTIALS.baselinker.token });
    expect((await run('p-bl-auth')).error?.kind).toBe('rate-limited');
  });
});

describe('the API', () => {
  it('lists every preset kind in /api/openapi.json with its config schema', async () => {
    const res = await api<{ components: { schemas: Record<string, { properties?: Record<string, unknown> }> } }>(server.url, '/api/openapi.json', { auth: admin });
    expect(res.status).toBe(200);
    for (const kind of ['jira-issues', 'freshservice-tickets', 'snipeit-hardware', 'smartsheet-rows', 'baselinker-products', 'module']) {
      expect(res.body.components.schemas[`Config-${kind}`], kind).toBeDefined();
    }
    expect(Object.keys(res.body.components.schemas['Config-jira-issues']!.properties ?? {})).toEqual(expect.arrayContaining(['site', 'email', 'jql']));
  });

  it('no secret reached the server log', () => {
    for (const value of [...Object.values(CREDENTIALS).flatMap((c) => Object.values(c)), 'wrong-jira-token-77', 'wrong-fs-key-11', 'wrong-sheet-token-3', 'wrong-bl-token-99']) {
      if (value.includes('@')) continue;
      expect(server.logs()).not.toContain(value);
    }
  });
});
