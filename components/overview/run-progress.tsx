import type { Run } from '@/lib/runs/store';
import { RelativeTime } from '@/components/time/relative-time';
import { mutedText } from '@/components/ui/styles';

const shownCounts = ['fetched', 'created', 'updated', 'unchanged'] as const;
const number = new Intl.NumberFormat('en-US');

/**
 * The going run: a progress bar (indeterminate until the total is known), its phase and its record counts.
 * `compact` leaves out the counts and who started it, for pages that show those elsewhere.
 */
export function RunProgress({ run, connectorName, compact = false }: { run: Run; connectorName: string; compact?: boolean }) {
  const done = run.progress?.done ?? 0;
  const total = run.progress?.total;
  const known = typeof total === 'number' && total > 0;
  const percent = known ? Math.min(100, Math.round((done / total) * 100)) : null;
  const queued = run.status === 'queued';
  const phase = queued ? 'waiting to start' : (run.progress?.phase ?? 'working');
  return (
    <div className="space-y-2">
      <div className="flex items-baseline justify-between gap-2 text-xs">
        <span className="inline-block font-medium text-sky-700 first-letter:uppercase dark:text-sky-300" data-testid="run-phase">
          {phase}
        </span>
        <span className={`tabular-nums ${mutedText}`}>
          {known ? `${number.format(done)} / ${number.format(total)} · ${percent}%` : done > 0 ? `${number.format(done)} done` : null}
        </span>
      </div>
      <div
        data-testid="progress-bar"
        role="progressbar"
        aria-label={`Progress of ${connectorName}`}
        aria-valuemin={known ? 0 : undefined}
        aria-valuemax={known ? total : undefined}
        aria-valuenow={known ? done : undefined}
        aria-valuetext={known ? `${done} of ${total} records` : queued ? 'Waiting to start' : 'In progress'}
        className="relative h-2 overflow-hidden rounded-full bg-slate-200 dark:bg-slate-800"
      >
        {known ? (
          <div key="known" className="h-full rounded-full bg-sky-500 transition-[width] duration-500 ease-out" style={{ width: `${percent}%` }} />
        ) : (
          <div key="unknown" className="absolute inset-y-0 w-2/5 rounded-full bg-sky-500/80 motion-safe:animate-indeterminate" />
        )}
      </div>
      {compact ? null : (
        <>
          <dl className="grid grid-cols-4 gap-2 text-center" data-testid="run-counts">
            {shownCounts.map((key) => (
              <div key={key} className="rounded-md bg-slate-50 px-1 py-1.5 dark:bg-slate-800/60">
                <dt className={`text-[10px] font-medium tracking-wide uppercase ${mutedText}`}>{key}</dt>
                <dd className="text-sm font-semibold tabular-nums">{number.format(run.counts[key])}</dd>
              </div>
            ))}
          </dl>
          <p className={`text-xs ${mutedText}`}>
            {run.trigger} run{run.initiatedBy && run.initiatedBy !== 'scheduler' ? ` by ${run.initiatedBy}` : ''}
            {run.startedAt ? (
              <>
                {' · started '}
                <RelativeTime iso={run.startedAt} />
              </>
            ) : null}
          </p>
        </>
      )}
    </div>
  );
}
