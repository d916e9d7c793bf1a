import type { ConnectorStatus } from '@/lib/connectors/status';
import { formatDuration } from '@/components/time/format';
import { RelativeTime } from '@/components/time/relative-time';
import { mutedText } from '@/components/ui/styles';
import { labelOfRun } from './status-label';

const term = `text-xs font-medium ${mutedText}`;

/** Last run, next run and the failure streak of one connector, ticking every second. */
export function ConnectorFacts({ connector }: { connector: ConnectorStatus }) {
  const last = connector.lastRun;
  const when = last?.finishedAt ?? last?.startedAt ?? last?.queuedAt;
  return (
    <dl className="grid grid-cols-[minmax(0,3fr)_minmax(0,2fr)] gap-x-4 gap-y-3 text-sm">
      <div className="min-w-0">
        <dt className={term}>Last run</dt>
        <dd data-testid="last-run">
          {last && when ? (
            <>
              <RelativeTime iso={when} /> · <span className="font-medium">{labelOfRun(last.status)}</span>
              {last.durationMs !== undefined ? <span className={mutedText}> · {formatDuration(last.durationMs)}</span> : null}
            </>
          ) : (
            <span className={mutedText}>Never</span>
          )}
        </dd>
      </div>
      <div className="min-w-0">
        <dt className={term}>Next run</dt>
        <dd data-testid="next-run">
          {connector.nextRun ? <RelativeTime iso={connector.nextRun} future /> : <span className={mutedText}>—</span>}
        </dd>
      </div>
      {connector.consecutiveFailures > 0 ? (
        <div className="col-span-2">
          <dt className="sr-only">Consecutive failures</dt>
          <dd data-testid="consecutive-failures" className="inline-flex items-center gap-1.5 rounded-md bg-red-50 px-2 py-1 text-xs font-semibold text-red-800 dark:bg-red-950/70 dark:text-red-200">
            <span aria-hidden="true">⚠</span>
            {connector.consecutiveFailures} {connector.consecutiveFailures === 1 ? 'failure' : 'failures'} in a row
          </dd>
        </div>
      ) : null}
    </dl>
  );
}
