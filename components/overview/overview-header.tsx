import type { Overview } from '@/lib/overview';
import { mutedText } from '@/components/ui/styles';
import { StatusBadge } from './status-badge';
import { isFailure } from './status-label';

/** Title, a one-line summary of the fleet, and whether the scheduler is starting runs. */
export function OverviewHeader({ overview }: { overview: Overview }) {
  const { connectors, scheduler } = overview;
  const running = connectors.filter((c) => c.running).length;
  const failing = connectors.filter((c) => !c.running && isFailure(c.lastRun?.status)).length;
  const paused = scheduler.state === 'paused';
  return (
    <div className="flex flex-wrap items-end justify-between gap-4">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Connectors</h1>
        <p className={`mt-1 text-sm ${mutedText}`} data-testid="overview-summary">
          {connectors.length} {connectors.length === 1 ? 'connector' : 'connectors'} · {running} running ·{' '}
          <span className={failing ? 'font-semibold text-red-700 dark:text-red-300' : undefined}>{failing} failing</span>
        </p>
      </div>
      <div className="flex items-center gap-2 text-sm" data-testid="scheduler-state" data-state={scheduler.state}>
        <span className={mutedText}>Scheduler</span>
        <StatusBadge
          label={paused ? 'Paused' : 'Running'}
          tone={paused ? 'warn' : 'good'}
          title={paused ? 'No scheduled runs start while the scheduler is paused' : 'Scheduled runs start on time'}
        />
      </div>
    </div>
  );
}
