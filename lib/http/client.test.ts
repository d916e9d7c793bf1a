import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeApi, type FakeApi } from '@/tests/fixtures/fake-api';
import { SyncError } from '@/lib/connectors/kind';
import { HttpClient, type HttpClientOptions, type HttpResponse } from './client';
import { backoffMs, parseRetryAfter } from './retry';

/** The HTTP client against a local fake upstream (127.0.0.1, ephemeral port). Backoffs are shortened. */

let api: FakeApi;
beforeAll(async () => {
  api = await startFakeApi({ records: 25, auth: { bearer: 'test-token-1' } });
});
afterAll(async () => {
  await api?.close();
});

const client = (options: HttpClientOptions = {}) => new HttpClient({ auth: { type: 'bearer', token: 'test-token-1' }, backoffMs: 10, maxBackoffMs: 20, ...options });

async function failure(promise: Promise<unknown>): Promise<SyncError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(SyncError);
    return error as SyncError;
  }
  throw new Error('expected a SyncError');
}

describe('HttpClient', () => {
  it('fetches JSON with the bearer token and query parameters', async () => {
    const { data } = await client().getJson<unknown[]>(`${api.url}/page`, { query: { page: 2, per_page: 10 } });
    expect(data).toHaveLength(10);
    expect((data[0] as { id: number }).id).toBe(11);
    expect(api.requests.at(-1)!.headers.authorization).toBe('Bearer test-token-1');
  });

  it('pages through Link headers', async () => {
    const ids: number[] = [];
    let url: string | undefined = `${api.url}/link`;
    while (url) {
      const { data, response }: { data: Array<{ id: number }>; response: HttpResponse } = await client().getJson<Array<{ id: number }>>(url);
      ids.push(...data.map((r) => r.id));
      const next = /<([^>]+)>;\s*rel="next"/.exec(response.headers.get('link') ?? '');
      url = next ? new URL(next[1]!, response.url).toString() : undefined;
    }
    expect(ids).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
  });

  it('classifies 401 as auth, without retrying', async () => {
    const before = api.requests.length;
    const error = await failure(new HttpClient({ auth: { type: 'bearer', token: 'wrong' } }).getJson(`${api.url}/page`));
    expect(error.kind).toBe('auth');
    expect(error.message).toMatch(/answered 401/);
    expect(api.requests.length - before).toBe(1);
  });

  it('waits out a 429 Retry-After (seconds) and succeeds', async () => {
    api.fail('/page', { status: 429, retryAfter: '1' });
    const retries: Array<{ delayMs: number; reason: string }> = [];
    const started = Date.now();
    const { data } = await client({ onRetry: (r) => retries.push(r) }).getJson<unknown[]>(`${api.url}/page`);
    expect(data).toHaveLength(10);
    expect(retries).toEqual([expect.objectContaining({ delayMs: 1000, reason: expect.stringContaining('429') })]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('honours a Retry-After given as an HTTP date', async () => {
    api.fail('/page', { status: 429, retryAfter: new Date(Date.now() + 1500).toUTCString() });
    const retries: number[] = [];
    await client({ onRetry: (r) => retries.push(r.delayMs) }).getJson(`${api.url}/page`);
    expect(retries[0]).toBeGreaterThan(0);
    expect(retries[0]).toBeLessThanOrEqual(1500);
  });

  it('fails as rate-limited at once when Retry-After is longer than it may wait', async () => {
    api.fail('/page', { status: 429, retryAfter: '3600' });
    const error = await failure(client({ maxRetryAfterMs: 60_000 }).getJson(`${api.url}/page`));
    expect(error.kind).toBe('rate-limited');
    expect(error.message).toMatch(/Retry-After 3600 s/);
  });

  it('retries a 503 and then succeeds', async () => {
    api.fail('/page', { status: 503 }, { status: 502 });
    const retries: string[] = [];
    const { data } = await client({ onRetry: (r) => retries.push(r.reason) }).getJson<unknown[]>(`${api.url}/page`);
    expect(data).toHaveLength(10);
    expect(retries).toHaveLength(2);
  });

  it('gives up on 5xx after the retries, as upstream', async () => {
    api.fail('/page', { status: 500 }, { status: 500 }, { status: 500 });
    const error = await failure(client({ retries: 2 }).getJson(`${api.url}/page`));
    expect(error.kind).toBe('upstream');
    expect(error.message).toMatch(/answered 500.*after 3 attempts/);
  });

  it('retries a dropped connection (network)', async () => {
    api.fail('/page', { drop: true });
    const { data } = await client().getJson<unknown[]>(`${api.url}/page`);
    expect(data).toHaveLength(10);
    api.fail('/page', { drop: true });
    const error = await failure(client({ retries: 0 }).getJson(`${api.url}/page`));
    expect(error.kind).toBe('network');
  });

  it('turns truncated JSON into bad-data', async () => {
    api.fail('/page', { truncate: true });
    const error = await failure(client().getJson(`${api.url}/page`));
    expect(error.kind).toBe('bad-data');
    expect(error.message).toMatch(/invalid JSON \(truncated\?\)/);
  });

  it('times out a slow answer, as timeout', async () => {
    api.fail('/page', { delayMs: 1500 });
    const error = await failure(client({ timeoutMs: 300, retries: 0 }).getJson(`${api.url}/page`));
    expect(error.kind).toBe('timeout');
    expect(error.message).toMatch(/within 300 ms/);
  });

  it('stops as cancelled when the run is aborted during a backoff', async () => {
    api.fail('/page', { status: 429, retryAfter: '30' });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const started = Date.now();
    const error = await failure(client({ signal: controller.signal }).getJson(`${api.url}/page`));
    expect(error.kind).toBe('cancelled');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('sends an API key in the query but never shows it in messages', async () => {
    const keyed = new HttpClient({ auth: { type: 'apiKey', in: 'query', name: 'api_key', value: 'query-key-123' }, retries: 0 });
    const error = await failure(keyed.getJson(`${api.url}/page`));
    expect(api.requests.at(-1)!.url).toContain('api_key=query-key-123');
    expect(error.kind).toBe('auth');
    expect(error.message).not.toContain('query-key-123');
    expect(error.message).toContain('api_key=[redacted]');
  });

  it('classifies other 4xx as config (a retry would not help)', async () => {
    const error = await failure(client().getJson(`${api.url}/nowhere`));
    expect(error.kind).toBe('config');
    expect(error.message).toMatch(/404/);
  });
});

describe('custom CA bundle', () => {
  it('trusts a server whose certificate is signed by the configured CA only (e.g. a TLS-inspecting proxy)', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'syncdeck-ca-'));
    try {
      // A self-signed certificate for 127.0.0.1 is its own CA.
      execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${dir}/key.pem`, '-out', `${dir}/cert.pem`, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
      const cert = readFileSync(`${dir}/cert.pem`);
      const server = createServer({ key: readFileSync(`${dir}/key.pem`), cert }, (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/`;
      try {
        const untrusted = await failure(new HttpClient({ retries: 0 }).getJson(url));
        expect(untrusted.kind).toBe('network');
        expect((await new HttpClient({ retries: 0, ca: cert }).getJson(url)).data).toEqual({ ok: true });
      } finally {
        server.closeAllConnections();
        server.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('retry helpers', () => {
  it('backs off exponentially with equal jitter, capped', () => {
    expect(backoffMs(1, { baseMs: 1000, maxMs: 60_000, random: () => 0 })).toBe(500);
    expect(backoffMs(3, { baseMs: 1000, maxMs: 60_000, random: () => 1 })).toBe(4000);
    expect(backoffMs(20, { baseMs: 1000, maxMs: 60_000, random: () => 1 })).toBe(60_000);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = Date.UTC(2026, 0, 1, 12, 0, 0);
    expect(parseRetryAfter('30', now)).toBe(30_000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 12:00:10 GMT', now)).toBe(10_000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});
