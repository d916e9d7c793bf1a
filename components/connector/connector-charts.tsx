'use client';

import { DurationsChart } from '@/components/charts/durations-chart';
import { OutcomesChart } from '@/components/charts/outcomes-chart';
import { RecordsChart } from '@/components/charts/records-chart';
import { StreaksChart } from '@/components/charts/streaks-chart';
import { ErrorState } from '@/components/ui/state-panels';
import { mutedText, sectionTitle } from '@/components/ui/styles';
import { useConnectorStats } from './use-connector-stats';

const DAYS = 7;

/** The connector's last week in four charts, refreshed as runs end. */
export function ConnectorCharts({ connectorId }: { connectorId: string }) {
  const { stats, state, error, retry } = useConnectorStats(connectorId, DAYS);
  return (
    <section aria-labelledby="charts-title" className="space-y-3">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="charts-title" className={sectionTitle}>
          Last {DAYS} days
        </h2>
        {stats ? (
          <p className={`text-xs ${mutedText}`}>
            {stats.runsConsidered} finished runs{stats.truncated ? ' (the newest only)' : ''}
          </p>
        ) : null}
      </div>
      {error && state === 'error' ? <ErrorState title="Could not load the charts." message={error} onRetry={() => void retry()} /> : null}
      <div className="grid gap-4 lg:grid-cols-2">
        <DurationsChart stats={stats} state={state} />
        <RecordsChart stats={stats} state={state} />
        <StreaksChart stats={stats} state={state} />
        <OutcomesChart stats={stats} state={state} />
      </div>
    </section>
  );
}
