import { describe, expect, it } from 'vitest';
import { fieldErrors } from '@/lib/api/http';
import { answerDemoSource, DEMO_CUSTOMERS, demoCustomer, demoSourceQuerySchema, isOutageMinute, type DemoPage } from './customers';

const NOW = Date.UTC(2026, 4, 12, 9, 30, 0);
const calm = demoSourceQuerySchema.parse({ fail_rate: '0', throttle_rate: '0', slow_rate: '0', outage_rate: '0' });
const page = (answer: ReturnType<typeof answerDemoSource>): DemoPage => {
  if (answer.kind !== 'page') throw new Error(`expected a page, got ${answer.kind}`);
  return answer.body;
};

describe('demo customers', () => {
  it('are the same for the same time, and change over time with updatedAt', () => {
    expect(demoCustomer(42, NOW)).toEqual(demoCustomer(42, NOW));
    const later = NOW + 6 * 3600_000;
    const changed = Array.from({ length: DEMO_CUSTOMERS }, (_, i) => i + 1).filter((n) => demoCustomer(n, NOW).updatedAt !== demoCustomer(n, later).updatedAt);
    // Every customer changes at least every 4 hours; each change bumps version and updatedAt.
    expect(changed.length).toBe(DEMO_CUSTOMERS);
    const one = changed[0]!;
    expect(demoCustomer(one, later).version).toBeGreaterThan(demoCustomer(one, NOW).version);
    expect(Date.parse(demoCustomer(one, later).updatedAt)).toBeGreaterThan(Date.parse(demoCustomer(one, NOW).updatedAt));
    expect(Date.parse(demoCustomer(one, later).updatedAt)).toBeLessThanOrEqual(later);
  });

  it('some, not all, change within one minute', () => {
    const changed = Array.from({ length: DEMO_CUSTOMERS }, (_, i) => i + 1).filter((n) => demoCustomer(n, NOW).version !== demoCustomer(n, NOW + 60_000).version);
    expect(changed.length).toBeGreaterThan(0);
    expect(changed.length).toBeLessThan(DEMO_CUSTOMERS / 5);
  });
});

describe('answerDemoSource', () => {
  it('pages through every customer once, in id order', () => {
    const ids: string[] = [];
    let body: DemoPage;
    let n = 1;
    do {
      body = page(answerDemoSource({ ...calm, page: n, per_page: 70 }, NOW));
      ids.push(...body.data.map((c) => c.id));
      n++;
    } while (body.next_page !== null);
    expect(body.total).toBe(DEMO_CUSTOMERS);
    expect(body.total_pages).toBe(Math.ceil(DEMO_CUSTOMERS / 70));
    expect(ids).toHaveLength(DEMO_CUSTOMERS);
    expect(new Set(ids).size).toBe(DEMO_CUSTOMERS);
    expect([...ids].sort()).toEqual(ids);
    expect(page(answerDemoSource({ ...calm, page: n, per_page: 70 }, NOW)).data).toEqual([]);
  });

  it('filters by updated_since (inclusive)', () => {
    const since = new Date(NOW - 10 * 60_000).toISOString();
    const body = page(answerDemoSource({ ...calm, per_page: 200, updated_since: since }, NOW));
    expect(body.total).toBeGreaterThan(0);
    expect(body.total).toBeLessThan(DEMO_CUSTOMERS);
    for (const c of body.data) expect(Date.parse(c.updatedAt)).toBeGreaterThanOrEqual(Date.parse(since));
    const exact = body.data[0]!.updatedAt;
    expect(page(answerDemoSource({ ...calm, per_page: 200, updated_since: exact }, NOW)).data.map((c) => c.id)).toContain(body.data[0]!.id);
  });

  it('misbehaves at the configured rates', () => {
    expect(answerDemoSource({ ...calm, fail_rate: 1 }, NOW)).toMatchObject({ kind: 'unavailable', retryAfterS: 1 });
    expect(answerDemoSource({ ...calm, throttle_rate: 1 }, NOW)).toMatchObject({ kind: 'throttled', retryAfterS: 2 });
    expect(answerDemoSource({ ...calm, slow_rate: 1, slow_ms: 700 }, NOW)).toMatchObject({ kind: 'page', delayMs: 700 });
    expect(answerDemoSource({ ...calm, outage_rate: 1 }, NOW)).toMatchObject({ kind: 'unavailable', retryAfterS: 5 });
    // Outage minutes are a property of the minute: the same answer throughout it, on every instance.
    const minutes = Array.from({ length: 1000 }, (_, i) => NOW + i * 60_000);
    const down = minutes.filter((m) => isOutageMinute(m, 0.08)).length;
    expect(down).toBeGreaterThan(40);
    expect(down).toBeLessThan(130);
    for (const m of minutes.slice(0, 50)) expect(isOutageMinute(m + 59_000, 0.08)).toBe(isOutageMinute(m, 0.08));
  });

  it('rejects bad and unknown parameters naming the field and the rule', () => {
    const parsed = demoSourceQuerySchema.safeParse({ per_page: '500', fail_rate: '2', updated_since: 'yesterday', pages: '1' });
    expect(parsed.success).toBe(false);
    const fields = fieldErrors(parsed.error!);
    expect(fields).toEqual(
      expect.arrayContaining([
        { path: 'per_page', message: 'must be at most 200' },
        { path: 'fail_rate', message: 'must be between 0 and 1' },
        { path: 'updated_since', message: 'must be an ISO 8601 date-time such as 2026-01-01T00:00:00Z' },
        { path: 'pages', message: 'is not a known field' },
      ]),
    );
  });
});
