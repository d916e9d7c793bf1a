import type { ConnectorStatus } from '@/lib/connectors/status';

/** The overview's status filter: what a connector is doing or how it is doing. */
export const healthFilters = ['all', 'running', 'failing', 'disabled', 'healthy'] as const;
export type HealthFilter = (typeof healthFilters)[number];
export type Health = Exclude<HealthFilter, 'all'>;

/** How the overview lays connectors out: cards, or one compact row each (for hundreds of connectors). */
export const overviewViews = ['cards', 'table'] as const;
export type OverviewView = (typeof overviewViews)[number];

export interface OverviewFilter {
  /** Matched, case-insensitive, against the name, the id and the kind. */
  q: string;
  status: HealthFilter;
  /** Null: let the overview pick by the number of connectors. */
  view: OverviewView | null;
}

/** Above this many connectors the overview starts in the table view. */
export const CARDS_UP_TO = 24;

/**
 * running: a run is going or queued; failing: the last run failed or was interrupted; disabled: automatic runs
 * are off; healthy: everything else (the last run succeeded, or it never ran).
 */
export function healthOf(c: Pick<ConnectorStatus, 'running' | 'enabled' | 'consecutiveFailures' | 'lastRun'>): Health {
  if (c.running) return 'running';
  const last = c.lastRun?.status;
  if (last === 'failed' || last === 'interrupted' || c.consecutiveFailures > 0) return 'failing';
  if (!c.enabled) return 'disabled';
  return 'healthy';
}

export function matchesOverviewFilter(c: ConnectorStatus, filter: Pick<OverviewFilter, 'q' | 'status'>): boolean {
  if (filter.status !== 'all' && healthOf(c) !== filter.status) return false;
  const q = filter.q.trim().toLowerCase();
  return !q || c.name.toLowerCase().includes(q) || c.id.toLowerCase().includes(q) || c.kind.toLowerCase().includes(q);
}

/** Reads the filter from the page's query (`?q=&status=&view=`); unknown values fall back to the defaults. */
export function parseOverviewFilter(params: { get(name: string): string | null }): OverviewFilter {
  const status = params.get('status');
  const view = params.get('view');
  return {
    q: (params.get('q') ?? '').slice(0, 100),
    status: healthFilters.includes(status as HealthFilter) ? (status as HealthFilter) : 'all',
    view: overviewViews.includes(view as OverviewView) ? (view as OverviewView) : null,
  };
}

/** The query string of a filter, leaving defaults out so a plain overview keeps a plain URL. */
export function overviewFilterQuery(filter: OverviewFilter): string {
  const params = new URLSearchParams();
  if (filter.q.trim()) params.set('q', filter.q);
  if (filter.status !== 'all') params.set('status', filter.status);
  if (filter.view) params.set('view', filter.view);
  const text = params.toString();
  return text ? `?${text}` : '';
}
