'use client';

import type { OverviewStats } from '@/lib/overview-stats';
import type { ChartState } from '@/components/charts/chart-frame';
import { ConnectorDurationsChart } from '@/components/charts/connector-durations-chart';
import { RunsPerHourChart } from '@/components/charts/runs-per-hour-chart';
import { ErrorState } from '@/components/ui/state-panels';

interface Props {
  stats: OverviewStats | null;
  state: ChartState;
  error: string | null;
  names: ReadonlyMap<string, string>;
  onRetry(): void;
}

/** The fleet in two charts: runs per hour by outcome, and the slowest connectors' p50/p95 durations. */
export function OverviewCharts({ stats, state, error, names, onRetry }: Props) {
  return (
    <section aria-label="Summary charts" className="space-y-3">
      {error && state === 'error' ? <ErrorState title="Could not load the figures." message={error} onRetry={onRetry} testId="overview-stats-error" /> : null}
      <div className="grid gap-4 lg:grid-cols-2">
        <RunsPerHourChart stats={stats} state={state} />
        <ConnectorDurationsChart stats={stats} state={state} names={names} />
      </div>
    </section>
  );
}
