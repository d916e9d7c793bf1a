import { describe, expect, it } from 'vitest';
import type { ConnectorStatus } from '@/lib/connectors/status';
import type { Run } from '@/lib/runs/store';
import { healthOf, matchesOverviewFilter, overviewFilterQuery, parseOverviewFilter } from './overview-filter';

const run = (status: Run['status']): Run => ({ id: 'r', connectorId: 'c', trigger: 'manual', initiatedBy: 'x', status, queuedAt: '2025-03-30T10:00:00Z', counts: { fetched: 0, created: 0, updated: 0, unchanged: 0, skipped: 0, failed: 0 } });

function connector(fields: Partial<ConnectorStatus> = {}): ConnectorStatus {
  return {
    id: 'crm-contacts',
    name: 'CRM contacts',
    description: '',
    kind: 'http-json',
    enabled: true,
    running: null,
    pendingRetry: null,
    lastRun: null,
    lastSuccess: null,
    nextRun: null,
    totalRuns: 0,
    lastError: null,
    consecutiveFailures: 0,
    longestFailureStreak: 0,
    schedules: [],
    ...fields,
  };
}

describe('healthOf', () => {
  it('says running while a run is going or queued, whatever happened before', () => {
    expect(healthOf(connector({ running: run('running'), lastRun: run('failed'), consecutiveFailures: 3 }))).toBe('running');
    expect(healthOf(connector({ running: run('queued'), enabled: false }))).toBe('running');
  });

  it('says failing after a failed or interrupted run, even when disabled', () => {
    expect(healthOf(connector({ lastRun: run('failed'), consecutiveFailures: 1 }))).toBe('failing');
    expect(healthOf(connector({ lastRun: run('interrupted'), enabled: false }))).toBe('failing');
  });

  it('says disabled when automatic runs are off and nothing failed', () => {
    expect(healthOf(connector({ enabled: false, lastRun: run('succeeded') }))).toBe('disabled');
  });

  it('says healthy after a success and for a connector that never ran', () => {
    expect(healthOf(connector({ lastRun: run('succeeded') }))).toBe('healthy');
    expect(healthOf(connector())).toBe('healthy');
    expect(healthOf(connector({ lastRun: run('cancelled') }))).toBe('healthy');
  });
});

describe('matchesOverviewFilter', () => {
  const c = connector({ lastRun: run('failed'), consecutiveFailures: 2 });

  it('searches the name, id and kind without regard to case', () => {
    expect(matchesOverviewFilter(c, { q: 'crm CON', status: 'all' })).toBe(true);
    expect(matchesOverviewFilter(c, { q: 'crm-contacts', status: 'all' })).toBe(true);
    expect(matchesOverviewFilter(c, { q: 'HTTP-json', status: 'all' })).toBe(true);
    expect(matchesOverviewFilter(c, { q: 'inventory', status: 'all' })).toBe(false);
    expect(matchesOverviewFilter(c, { q: '   ', status: 'all' })).toBe(true);
  });

  it('combines the search with the status filter', () => {
    expect(matchesOverviewFilter(c, { q: 'crm', status: 'failing' })).toBe(true);
    expect(matchesOverviewFilter(c, { q: 'crm', status: 'healthy' })).toBe(false);
  });
});

describe('the filter in the URL', () => {
  it('round-trips through the query string', () => {
    const filter = { q: 'crm & co', status: 'failing', view: 'table' } as const;
    expect(parseOverviewFilter(new URLSearchParams(overviewFilterQuery(filter)))).toEqual(filter);
  });

  it('leaves defaults out of the URL', () => {
    expect(overviewFilterQuery({ q: '', status: 'all', view: null })).toBe('');
  });

  it('falls back to the defaults for unknown values', () => {
    expect(parseOverviewFilter(new URLSearchParams('status=broken&view=grid'))).toEqual({ q: '', status: 'all', view: null });
  });
});
