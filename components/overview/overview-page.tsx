'use client';

import dynamic from 'next/dynamic';
import { useMemo } from 'react';
import type { Permissions } from '@/lib/auth/permissions';
import type { Overview } from '@/lib/overview';
import { CARDS_UP_TO, healthOf, matchesOverviewFilter, type Health, type OverviewFilter } from '@/lib/overview-filter';
import { ChartFrame } from '@/components/charts/chart-frame';
import { EmptyState as NoMatch } from '@/components/ui/state-panels';
import { card, ghostButton } from '@/components/ui/styles';
import { ConnectorCard } from './connector-card';
import { ConnectorTable } from './connector-table';
import { EmptyState } from './empty-state';
import { InstancesPanel } from './instances-panel';
import { OverviewHeader } from './overview-header';
import { OverviewToolbar } from './overview-toolbar';
import { useOverview } from './use-overview';
import { useOverviewFilter } from './use-overview-filter';
import { SPARKLINE_RUNS, STATS_DAYS, useOverviewStats } from './use-overview-stats';

/**
 * The summary charts come in their own script, after the page has painted: the chart library is the largest part
 * of the page's JavaScript, and the connectors (what the page is for) should not wait for it. Until then, the two
 * chart frames show as loading, in the same place and size.
 */
const OverviewCharts = dynamic(() => import('./overview-charts').then((m) => m.OverviewCharts), {
  ssr: false,
  loading: () => (
    <section aria-label="Summary charts" className="grid gap-4 lg:grid-cols-2">
      <ChartFrame title="Runs per hour" state="loading" testId="chart-runs-per-hour">
        {null}
      </ChartFrame>
      <ChartFrame title="Durations by connector" state="loading" testId="chart-connector-durations">
        {null}
      </ChartFrame>
    </section>
  ),
});

/** The dashboard home: every connector live, with search and filters, summary charts, the scheduler and the instances. */
export function OverviewPage({ initial, initialFilter, can }: { initial: Overview; initialFilter: OverviewFilter; can: Permissions }) {
  const { overview, refreshError, runHandlers, joined } = useOverview(initial);
  const stats = useOverviewStats(joined);
  const [filter, setFilter] = useOverviewFilter(initialFilter);
  const { connectors } = overview;

  const counts = useMemo(() => {
    const tally: Record<Health, number> & { all: number } = { all: connectors.length, running: 0, failing: 0, disabled: 0, healthy: 0 };
    for (const c of connectors) tally[healthOf(c)]++;
    return tally;
  }, [connectors]);
  const shown = useMemo(() => connectors.filter((c) => matchesOverviewFilter(c, filter)), [connectors, filter]);
  const figures = useMemo(() => (stats.stats ? new Map(stats.stats.connectors.map((f) => [f.connectorId, f])) : null), [stats.stats]);
  const names = useMemo(() => new Map(connectors.map((c) => [c.id, c.name])), [connectors]);
  const view = filter.view ?? (connectors.length > CARDS_UP_TO ? 'table' : 'cards');

  return (
    <div className="space-y-6">
      <OverviewHeader overview={overview} />
      {refreshError ? (
        <p role="alert" data-testid="overview-error" className="rounded-lg border border-amber-300 bg-amber-50 px-4 py-2 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950/60 dark:text-amber-100">
          Could not refresh the overview: {refreshError}. Showing the last known state.
        </p>
      ) : null}
      {connectors.length === 0 ? (
        <EmptyState canEdit={can.editConnectors} />
      ) : (
        <>
          <OverviewCharts stats={stats.stats} state={stats.state} error={stats.error} names={names} onRetry={() => void stats.retry()} />
          <OverviewToolbar filter={filter} view={view} counts={counts} shown={shown.length} onChange={setFilter} />
          {shown.length === 0 ? (
            <div className={card} data-testid="connectors-no-match">
              <NoMatch title="No connector matches">
                Nothing matches {filter.q.trim() ? `“${filter.q.trim()}”` : 'this filter'}
                {filter.status !== 'all' ? ` among ${filter.status} connectors` : ''}.{' '}
                <button type="button" className={`${ghostButton} px-1.5 py-0.5`} onClick={() => setFilter({ ...filter, q: '', status: 'all' })}>
                  Clear filters
                </button>
              </NoMatch>
            </div>
          ) : view === 'table' ? (
            <ConnectorTable connectors={shown} figures={figures} canRun={can.run} runHandlers={runHandlers} days={STATS_DAYS} sparklineRuns={SPARKLINE_RUNS} />
          ) : (
            <ul className="grid gap-4 md:grid-cols-2 xl:grid-cols-3" aria-label="Connectors">
              {shown.map((connector) => (
                <li key={connector.id}>
                  <ConnectorCard
                    connector={connector}
                    canRun={can.run}
                    runHandlers={runHandlers}
                    figures={figures ? (figures.get(connector.id) ?? null) : undefined}
                    days={STATS_DAYS}
                    sparklineRuns={SPARKLINE_RUNS}
                  />
                </li>
              ))}
            </ul>
          )}
        </>
      )}
      <InstancesPanel instances={overview.instances} heartbeatIntervalMs={overview.heartbeatIntervalMs} />
    </div>
  );
}
