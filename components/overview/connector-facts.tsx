import type { ConnectorStatus } from '@/lib/connectors/status';
import type { ConnectorFigures } from '@/lib/overview-stats';
import { DurationSparkline } from '@/components/charts/sparkline';
import { formatDuration } from '@/components/time/format';
import { RelativeTime } from '@/components/time/relative-time';
import { mutedText } from '@/components/ui/styles';
import { FailureStreak, LastRun, SuccessRate } from './connector-figures';

const term = `text-xs font-medium ${mutedText}`;

interface Props {
  connector: ConnectorStatus;
  /** The overview's figures: success rate and sparkline. Pages with their own charts leave it out. */
  trend?: {
    /** Over the stats window; undefined while they load, null when the connector had no runs in it. */
    figures: ConnectorFigures | null | undefined;
    days: number;
    sparklineRuns: number;
  };
}

/** Last and next run, success rate, failure streak and recent durations of one connector, ticking every second. */
export function ConnectorFacts({ connector, trend }: Props) {
  return (
    <dl className="grid grid-cols-[minmax(0,3fr)_minmax(0,2fr)] gap-x-4 gap-y-3 text-sm">
      <div className="min-w-0">
        <dt className={term}>Last run</dt>
        <dd data-testid="last-run">
          <LastRun run={connector.lastRun} />
        </dd>
      </div>
      <div className="min-w-0">
        <dt className={term}>Next run</dt>
        <dd data-testid="next-run">
          {connector.nextRun ? <RelativeTime iso={connector.nextRun} future /> : <span className={mutedText}>—</span>}
        </dd>
      </div>
      {trend ? (
        <div className="min-w-0">
          <dt className={term}>Success · {trend.days} days</dt>
          <dd>
            <SuccessRate figures={trend.figures} />
          </dd>
        </div>
      ) : null}
      <div className="min-w-0">
        <dt className={term}>Failure streak</dt>
        <dd>
          <FailureStreak count={connector.consecutiveFailures} />
        </dd>
      </div>
      {trend ? (
        <div className="col-span-2 min-w-0">
          <dt className={term}>
            Durations · last {trend.sparklineRuns} runs
            {trend.figures?.p50Ms != null ? <span className="font-normal"> · p50 {formatDuration(trend.figures.p50Ms)}</span> : null}
          </dt>
          <dd className="mt-1 h-7">{trend.figures === undefined ? null : <DurationSparkline runs={trend.figures?.recent ?? []} slots={trend.sparklineRuns} />}</dd>
        </div>
      ) : null}
    </dl>
  );
}
