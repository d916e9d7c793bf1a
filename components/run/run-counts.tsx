import type { Run } from '@/lib/runs/store';
import { card, mutedText, sectionTitle } from '@/components/ui/styles';

const keys = ['fetched', 'created', 'updated', 'unchanged', 'skipped', 'failed'] as const;
const number = new Intl.NumberFormat('en-US');

/** The run's record counts (its own, never accumulated), and the error it ended with. */
export function RunCounts({ run }: { run: Run }) {
  return (
    <section aria-labelledby="counts-title" className={`${card} space-y-4 p-5`}>
      <h2 id="counts-title" className={sectionTitle}>
        Records
      </h2>
      <dl className="grid grid-cols-3 gap-2 text-center sm:grid-cols-6" data-testid="run-counts">
        {keys.map((key) => (
          <div key={key} className="rounded-md bg-slate-50 px-1 py-2 dark:bg-slate-800/60">
            <dt className={`text-[10px] font-medium tracking-wide uppercase ${mutedText}`}>{key}</dt>
            <dd className={`text-lg font-semibold tabular-nums ${key === 'failed' && run.counts.failed ? 'text-red-700 dark:text-red-300' : ''}`}>{number.format(run.counts[key])}</dd>
          </div>
        ))}
      </dl>
      {run.error ? (
        <div role="note" data-testid="run-error" className="rounded-lg border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-900 dark:border-red-900 dark:bg-red-950/60 dark:text-red-100">
          <p className="text-xs font-semibold tracking-wide uppercase">Error · {run.error.kind}</p>
          <p className="mt-0.5 break-words">{run.error.message}</p>
        </div>
      ) : null}
    </section>
  );
}
