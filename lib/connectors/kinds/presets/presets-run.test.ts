import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient } from '@/lib/http/client';
import { emptyCounts } from '@/lib/domain/run';
import { CREDENTIALS, startFakeVendors, type FakeVendors } from '@/tests/fixtures/fake-vendors';
import type { ConnectorKind, RunContext } from '../../kind';
import { baselinkerConnector } from './baselinker';
import { snipeItConnector } from './snipe-it';

/**
 * Large sources through the presets without a database: the run writes into memory, so paging over thousands of
 * records (BaseLinker's fixed 1000 a page, Snipe-IT's 500) stays fast. The same presets run through the real
 * server and database in tests/integration/connectors-presets.test.ts.
 */

let vendors: FakeVendors;
beforeAll(async () => {
  vendors = await startFakeVendors({ products: 2500, assets: 1100 });
});
afterAll(() => vendors?.close());

async function runInMemory<C>(kind: ConnectorKind<C, Record<string, string>>, config: unknown, secrets: Record<string, string>) {
  const counts = emptyCounts();
  const written = new Map<unknown, Record<string, unknown>>();
  const ctx = {
    runId: 'run-1',
    connectorId: 'c-1',
    config: kind.configSchema.parse(config),
    secrets,
    signal: new AbortController().signal,
    progress: () => undefined,
    log: () => undefined,
    counts,
    checkpoint: { get: () => undefined, set: () => undefined, commit: async () => undefined },
    http: (options = {}) => new HttpClient({ backoffMs: 10, ...options }),
    destination: () => ({
      collection: 'memory',
      async upsert(records: readonly Record<string, unknown>[]) {
        for (const record of records) written.set(record.id, record);
        counts.created += records.length;
        return { created: records.length, updated: 0, unchanged: 0, failed: 0, skipped: 0 };
      },
    }),
    db: undefined as never,
  } as unknown as RunContext<C, Record<string, string>>;
  await kind.run(ctx);
  return { counts, written };
}

describe('presets over many pages', () => {
  it('baselinker-products asks page after page of 1000 until a shorter one', async () => {
    const { counts, written } = await runInMemory(
      baselinkerConnector as never,
      { inventoryId: 307, apiUrl: `${vendors.url}/connector.php`, requestsPerMinute: 100 },
      { token: CREDENTIALS.baselinker.token },
    );
    expect(counts.fetched).toBe(2500);
    expect(written.size).toBe(2500);
    const pages = vendors.requests.filter((r) => r.url === '/connector.php').map((r) => JSON.parse(new URLSearchParams(r.body).get('parameters')!) as unknown);
    expect(pages).toEqual([1, 2, 3].map((page) => ({ inventory_id: 307, page })));
  });

  it('snipeit-hardware reads 500 at a time by offset and stops at total', async () => {
    const { counts } = await runInMemory(snipeItConnector as never, { site: vendors.url, requestsPerMinute: 6000 }, { token: CREDENTIALS.snipeIt.token });
    expect(counts.fetched).toBe(1100);
    const asked = vendors.requests.filter((r) => r.url.startsWith('/api/v1/hardware')).map((r) => new URL(r.url, 'http://x').searchParams);
    expect(asked.map((q) => [q.get('offset'), q.get('limit')])).toEqual([
      ['0', '500'],
      ['500', '500'],
      ['1000', '500'],
    ]);
    expect(asked.every((q) => q.get('sort') === 'id' && q.get('order') === 'asc')).toBe(true);
  });
});
