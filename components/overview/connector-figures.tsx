import type { ConnectorFigures } from '@/lib/overview-stats';
import type { Run } from '@/lib/runs/store';
import { formatDuration } from '@/components/time/format';
import { RelativeTime } from '@/components/time/relative-time';
import { mutedText } from '@/components/ui/styles';
import { isFailure, labelOfRun } from './status-label';

/** Small read-outs shared by the connector cards and the table rows. */

const outcomeLook = (status: Run['status']) =>
  status === 'succeeded' ? 'text-emerald-700 dark:text-emerald-300' : isFailure(status) ? 'text-red-700 dark:text-red-300' : '';

/** "12 s ago · Succeeded · 4.2 s", or "Never". */
export function LastRun({ run, showDuration = true }: { run: Run | null; showDuration?: boolean }) {
  const when = run?.finishedAt ?? run?.startedAt ?? run?.queuedAt;
  if (!run || !when) return <span className={mutedText}>Never</span>;
  return (
    <>
      <RelativeTime iso={when} /> · <span className={`font-medium ${outcomeLook(run.status)}`}>{labelOfRun(run.status)}</span>
      {showDuration && run.durationMs !== undefined ? <span className={mutedText}> · {formatDuration(run.durationMs)}</span> : null}
    </>
  );
}

/** "96%" coloured by how good it is, with the counts as a tooltip; "—" without decided runs in the window. */
export function SuccessRate({ figures }: { figures: ConnectorFigures | null | undefined }) {
  if (figures === undefined) return <span className={mutedText}>…</span>;
  if (!figures || figures.successRate === null) return <span data-testid="success-rate" data-rate="" className={mutedText}>—</span>;
  const percent = Math.floor(figures.successRate * 100);
  const look = percent >= 95 ? 'text-emerald-700 dark:text-emerald-300' : percent >= 80 ? 'text-amber-700 dark:text-amber-300' : 'text-red-700 dark:text-red-300';
  return (
    <span data-testid="success-rate" data-rate={percent} title={`${figures.succeeded} of ${figures.decided} runs succeeded`} className={`font-semibold tabular-nums ${look}`}>
      {percent}%<span className={`ml-1 text-xs font-normal ${mutedText}`}>of {figures.decided}</span>
    </span>
  );
}

/** The current run of failures in a row; loud when there is one. */
export function FailureStreak({ count }: { count: number }) {
  if (count === 0) {
    return (
      <span data-testid="failure-streak" data-count={0} className={`tabular-nums ${mutedText}`}>
        0
      </span>
    );
  }
  return (
    <span
      data-testid="failure-streak"
      data-count={count}
      className="inline-flex items-center gap-1 rounded-md bg-red-50 px-1.5 py-0.5 text-xs font-semibold text-red-800 tabular-nums dark:bg-red-950/70 dark:text-red-200"
    >
      <span aria-hidden="true">⚠</span>
      {count} in a row
    </span>
  );
}
