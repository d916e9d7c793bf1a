import { describe, expect, it } from 'vitest';
import { fieldErrors } from '@/lib/api/http';
import { httpJsonConfigSchema } from './http-json';
import { nextLink } from './http-json-pages';
import { compareCursor, matchesFilter, recordsOf } from './http-json-records';

const base = { url: 'https://api.example.com/v1/items', destination: { collection: 'items' } };

describe('http-json config', () => {
  it('fills defaults', () => {
    expect(httpJsonConfigSchema.parse(base)).toMatchObject({
      method: 'GET',
      auth: { type: 'none' },
      pagination: { type: 'none' },
      itemsPath: '',
      idField: 'id',
      timeoutSeconds: 30,
      retries: 3,
      destination: { collection: 'items', strict: false },
    });
    expect(httpJsonConfigSchema.parse({ ...base, pagination: { type: 'offset' } }).pagination).toEqual({ type: 'offset', offsetParam: 'offset', limitParam: 'limit', limit: 100 });
  });

  it.each([
    [{ url: 'ftp://x.example.com' }, 'url'],
    [{ auth: { type: 'oauth' } }, 'auth.type'],
    [{ auth: { type: 'apiKey', in: 'cookie', name: 'k' } }, 'auth.in'],
    [{ pagination: { type: 'cursor', param: 'cursor' } }, 'pagination.cursorPath'],
    [{ itemsPath: 'data..items' }, 'itemsPath'],
    [{ destination: { collection: 'users' } }, 'destination.collection'],
    [{ destination: { collection: 'has space' } }, 'destination.collection'],
    [{ filter: { field: 'status' } }, 'filter'],
    [{ body: { q: 1 } }, 'body'],
    [{ headers: { 'bad header': 'x' } }, 'headers.bad header'],
  ])('rejects %j under %s', (change, path) => {
    const parsed = httpJsonConfigSchema.safeParse({ ...base, ...change });
    expect(parsed.success).toBe(false);
    expect(fieldErrors(parsed.error!).map((f) => f.path)).toContain(path);
  });
});

describe('http-json helpers', () => {
  it('follows rel="next" in Link headers, relative or absolute', () => {
    const header = '<https://api.example.com/items?page=3>; rel="next", <https://api.example.com/items?page=1>; rel="first"';
    expect(nextLink(header, 'https://api.example.com/items?page=2')).toBe('https://api.example.com/items?page=3');
    expect(nextLink('</items?page=2>; rel=next', 'https://api.example.com/items')).toBe('https://api.example.com/items?page=2');
    expect(nextLink('</items?page=1>; rel="prev"', 'https://api.example.com/items')).toBeUndefined();
    expect(nextLink(null, 'https://api.example.com')).toBeUndefined();
  });

  it('finds the records at a dot path and counts items that are not objects', () => {
    expect(recordsOf({ data: { rows: [{ id: 1 }, 2, null, { id: 3 }] } }, 'data.rows', 'GET x')).toEqual({ records: [{ id: 1 }, { id: 3 }], invalid: 2 });
    expect(() => recordsOf({ data: {} }, 'data.rows', 'GET x')).toThrow(/expected an array of records at "data.rows", found nothing/);
  });

  it('keeps the largest incremental value: date-times by time, numbers by value', () => {
    let max: string | number | undefined;
    for (const updated of ['2025-01-02T00:00:00Z', '2025-01-10T00:00:00+02:00', '2025-01-03T00:00:00Z']) max = compareCursor({ updated }, 'updated', max);
    expect(max).toBe('2025-01-10T00:00:00+02:00');
    expect(compareCursor({ v: 10 }, 'v', 9)).toBe(10);
    expect(compareCursor({ v: 'x' }, 'missing', 5)).toBe(5);
  });

  it('filters by equality or membership, comparing numbers and strings loosely', () => {
    expect(matchesFilter({ status: 'approved' }, { field: 'status', equals: 'approved' })).toBe(true);
    expect(matchesFilter({ row: { approved: true } }, { field: 'row.approved', equals: true })).toBe(true);
    expect(matchesFilter({ code: 2 }, { field: 'code', in: ['1', '2'] })).toBe(true);
    expect(matchesFilter({ status: 'pending' }, { field: 'status', in: ['approved'] })).toBe(false);
  });
});
