'use client';

import Link from 'next/link';
import type { ConnectorStatus } from '@/lib/connectors/status';
import { ConnectorFacts } from '@/components/overview/connector-facts';
import { RunProgress } from '@/components/overview/run-progress';
import { RelativeTime } from '@/components/time/relative-time';
import { card, linkText, mutedText, sectionTitle } from '@/components/ui/styles';
import { runHref } from '@/components/runs/run-row';

/** What the connector is doing now: the going run's progress, or the last and next run. */
export function StatusPanel({ status }: { status: ConnectorStatus }) {
  const { running, pendingRetry, lastRun } = status;
  const error = !running && (lastRun?.status === 'failed' || lastRun?.status === 'interrupted') ? (lastRun.error ?? status.lastError) : null;
  return (
    <section aria-labelledby="now-title" className={`${card} space-y-4 p-5`}>
      <div className="flex items-baseline justify-between gap-2">
        <h2 id="now-title" className={sectionTitle}>
          Now
        </h2>
        {running ? (
          <Link href={runHref(running.id)} className={`text-sm ${linkText}`}>
            Open the run →
          </Link>
        ) : null}
      </div>
      {running ? <RunProgress run={running} connectorName={status.name} /> : <p className={`text-sm ${mutedText}`}>Idle: no run is going.</p>}
      <ConnectorFacts connector={status} />
      {pendingRetry?.notBefore ? (
        <p className="text-sm text-violet-800 dark:text-violet-200">
          Retry attempt {pendingRetry.attempt ?? 2} waits until <RelativeTime iso={pendingRetry.notBefore} future />.
        </p>
      ) : null}
      {error ? (
        <div role="note" className="rounded-lg border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-900 dark:border-red-900 dark:bg-red-950/60 dark:text-red-100">
          <p className="text-xs font-semibold tracking-wide uppercase">Last error · {error.kind}</p>
          <p className="mt-0.5 break-words">{error.message}</p>
        </div>
      ) : null}
      <dl className={`grid grid-cols-3 gap-2 border-t border-slate-100 pt-3 text-xs dark:border-slate-800 ${mutedText}`}>
        <div>
          <dt>Total runs</dt>
          <dd className="text-sm font-semibold text-slate-900 tabular-nums dark:text-slate-100">{status.totalRuns}</dd>
        </div>
        <div>
          <dt>Last success</dt>
          <dd className="text-sm font-semibold text-slate-900 dark:text-slate-100">{status.lastSuccess ? <RelativeTime iso={status.lastSuccess} /> : 'Never'}</dd>
        </div>
        <div>
          <dt>Longest failure streak</dt>
          <dd className="text-sm font-semibold text-slate-900 tabular-nums dark:text-slate-100">{status.longestFailureStreak}</dd>
        </div>
      </dl>
    </section>
  );
}
