'use client';

import type { Permissions } from '@/lib/auth/permissions';
import type { Overview } from '@/lib/overview';
import { ConnectorCard } from './connector-card';
import { EmptyState } from './empty-state';
import { InstancesPanel } from './instances-panel';
import { OverviewHeader } from './overview-header';
import { useOverview } from './use-overview';

/** The dashboard home: every connector live, the scheduler and the instances. */
export function OverviewPage({ initial, can }: { initial: Overview; can: Permissions }) {
  const { overview, refreshError, runHandlers } = useOverview(initial);
  return (
    <div className="space-y-6">
      <OverviewHeader overview={overview} />
      {refreshError ? (
        <p role="alert" data-testid="overview-error" className="rounded-lg border border-amber-300 bg-amber-50 px-4 py-2 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950/60 dark:text-amber-100">
          Could not refresh the overview: {refreshError}. Showing the last known state.
        </p>
      ) : null}
      {overview.connectors.length === 0 ? (
        <EmptyState canEdit={can.editConnectors} />
      ) : (
        <ul className="grid gap-4 md:grid-cols-2 xl:grid-cols-3" aria-label="Connectors">
          {overview.connectors.map((connector) => (
            <li key={connector.id}>
              <ConnectorCard connector={connector} canRun={can.run} runHandlers={runHandlers} />
            </li>
          ))}
        </ul>
      )}
      <InstancesPanel instances={overview.instances} heartbeatIntervalMs={overview.heartbeatIntervalMs} />
    </div>
  );
}
