import { describe, expect, it } from 'vitest';
import { filterFromParams, filterToParams, matchesFilter } from './run-filter';

const run = { connectorId: 'crm', status: 'succeeded', trigger: 'manual', queuedAt: '2026-12-07T10:00:00.000Z' } as const;

describe('run filter', () => {
  it('reads "after" as a UTC moment and drops one that is not a date', () => {
    expect(filterFromParams(new URLSearchParams('after=2026-12-07T11:30:00%2B01:00')).filter).toEqual({ after: '2026-12-07T10:30:00.000Z' });
    expect(filterFromParams(new URLSearchParams('after=yesterday&status=done&trigger=manual')).filter).toEqual({ trigger: 'manual' });
  });

  it('keeps runs queued at or after "after"', () => {
    expect(matchesFilter(run, { after: '2026-12-07T10:00:00.000Z' })).toBe(true);
    expect(matchesFilter(run, { after: '2026-12-07T09:59:59.999Z', connectorId: 'crm' })).toBe(true);
    expect(matchesFilter(run, { after: '2026-12-07T10:00:00.001Z' })).toBe(false);
    expect(matchesFilter(run, { after: '2026-12-07T09:00:00.000Z', status: 'failed' })).toBe(false);
  });

  it('writes only the set values, "after" and the cursor included', () => {
    const params = filterToParams({ status: 'failed', after: '2026-12-07T10:00:00.000Z' }, { before: null, limit: 50 });
    expect(params.toString()).toBe('status=failed&after=2026-12-07T10%3A00%3A00.000Z&limit=50');
  });
});
