'use client';

import type { Run } from '@/lib/runs/store';
import { ErrorState } from '@/components/ui/state-panels';
import { RunCounts } from './run-counts';
import { RunFacts } from './run-facts';
import { RunHeader } from './run-header';
import { RunLog } from './run-log';
import { RunTimeline } from './run-timeline';
import { useRun } from './use-run';

interface Props {
  initial: Run;
  connectorName: string;
  canCancel: boolean;
  /** How many log lines a run keeps. */
  logLimit: number;
}

/** One run: timeline, details, counts, error and the log, all live while the run goes. */
export function RunPage({ initial, connectorName, canCancel, logLimit }: Props) {
  const { run, log, going, refreshError, refresh } = useRun(initial);
  return (
    <div className="space-y-6" data-testid="run-page" data-run-id={run.id}>
      <RunHeader run={run} connectorName={connectorName} canCancel={canCancel} />
      {refreshError ? <ErrorState title="Could not refresh." message={`${refreshError}. Showing the last known state.`} onRetry={() => void refresh()} /> : null}
      <div className="grid items-start gap-6 lg:grid-cols-[minmax(0,1fr)_minmax(0,2fr)]">
        <div className="space-y-6">
          <RunTimeline run={run} />
          <RunFacts run={run} />
        </div>
        <div className="space-y-6">
          <RunCounts run={run} />
          <RunLog lines={log} live={going} storedLimit={logLimit} />
        </div>
      </div>
    </div>
  );
}
