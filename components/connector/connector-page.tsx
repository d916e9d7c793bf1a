'use client';

import type { Permissions } from '@/lib/auth/permissions';
import type { ConnectorStatus } from '@/lib/connectors/status';
import type { Connector } from '@/lib/connectors/store';
import { PoliciesSection } from '@/components/policies/policies-section';
import { useRunList } from '@/components/runs/use-run-list';
import type { IntervalBounds } from '@/components/schedules/schedule-draft';
import { SchedulesSection } from '@/components/schedules/schedules-section';
import { ErrorState } from '@/components/ui/state-panels';
import { ConfigView } from './config-view';
import { ConnectorAudit } from './connector-audit';
import { ConnectorCharts } from './connector-charts';
import { ConnectorHeader } from './connector-header';
import { ConnectorRuns } from './connector-runs';
import { DeletedNotice } from './deleted-notice';
import { StatusPanel } from './status-panel';
import { useConnector } from './use-connector';

interface Props {
  initial: { connector: Connector; status: ConnectorStatus };
  can: Permissions;
  bounds: IntervalBounds;
}

/** One connector: live state and controls, charts, schedules, policies, configuration and its runs. */
export function ConnectorPage({ initial, can, bounds }: Props) {
  const { connector, setConnector, status, deleted, refreshError, refresh, onQueued } = useConnector(initial);
  const runs = useRunList({ filter: { connectorId: connector.id }, limit: 20 });
  if (deleted) return <DeletedNotice name={connector.name} />;
  return (
    <div className="space-y-6" data-testid="connector-page" data-connector-id={connector.id}>
      <ConnectorHeader
        connector={connector}
        status={status}
        can={can}
        onChanged={setConnector}
        onQueued={(runId) => {
          onQueued(runId);
          void runs.track(runId);
        }}
        onConflict={() => void refresh()}
      />
      {refreshError ? <ErrorState title="Could not refresh." message={`${refreshError}. Showing the last known state.`} onRetry={() => void refresh({ connector: true })} /> : null}
      <div className="grid items-start gap-6 lg:grid-cols-[minmax(0,2fr)_minmax(0,1fr)]">
        <StatusPanel status={status} />
        <ConfigView connector={connector} />
      </div>
      <ConnectorCharts connectorId={connector.id} />
      <SchedulesSection connector={connector} status={status} canEdit={can.editConnectors} bounds={bounds} onSaved={setConnector} />
      <PoliciesSection connector={connector} canEdit={can.editConnectors} onSaved={setConnector} />
      <ConnectorRuns connectorId={connector.id} list={runs} />
      {can.readAudit ? <ConnectorAudit connectorId={connector.id} version={connector.updatedAt} /> : null}
    </div>
  );
}
