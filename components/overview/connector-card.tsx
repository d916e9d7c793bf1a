'use client';

import { memo } from 'react';
import Link from 'next/link';
import type { ConnectorStatus } from '@/lib/connectors/status';
import type { ConnectorFigures } from '@/lib/overview-stats';
import { card, focusRing, mutedText } from '@/components/ui/styles';
import { ConnectorFacts } from './connector-facts';
import { RunNowButton } from './run-now-button';
import type { RunNowHandlers } from './use-run-now';
import { RunProgress } from './run-progress';
import { StatusBadge } from './status-badge';
import { isFailure, statusOf } from './status-label';

interface Props {
  connector: ConnectorStatus;
  canRun: boolean;
  runHandlers: RunNowHandlers;
  /** Figures over the stats window: undefined while loading, null when the connector had no runs in it. */
  figures: ConnectorFigures | null | undefined;
  days: number;
  sparklineRuns: number;
}

/** One connector on the dashboard home: what it is, what it is doing, how it went, and "Run now". Memoized. */
export const ConnectorCard = memo(function ConnectorCard({ connector, canRun, runHandlers, figures, days, sparklineRuns }: Props) {
  const { label, tone } = statusOf(connector);
  const running = connector.running;
  const lastRun = connector.lastRun;
  const error = !running && isFailure(lastRun?.status) ? (lastRun?.error ?? connector.lastError) : null;
  const schedules = connector.schedules.filter((s) => s.enabled).map((s) => s.description);
  return (
    <article
      data-testid="connector-card"
      data-connector-id={connector.id}
      aria-labelledby={`connector-${connector.id}-name`}
      className={`${card} flex h-full flex-col gap-4 p-5 ${tone === 'bad' ? 'border-l-4 border-l-red-500 dark:border-l-red-500' : ''}`}
    >
      <header className="flex items-start justify-between gap-3">
        <div className="min-w-0">
          <h2 id={`connector-${connector.id}-name`} className="truncate text-base font-semibold">
            <Link href={`/connectors/${encodeURIComponent(connector.id)}`} data-testid="connector-link" className={`rounded-sm hover:text-indigo-700 hover:underline dark:hover:text-indigo-300 ${focusRing}`}>
              {connector.name}
            </Link>
          </h2>
          <p className={`text-xs ${mutedText}`}>
            <span className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-[11px] text-slate-700 dark:bg-slate-800 dark:text-slate-300">{connector.kind}</span>
            {schedules.length ? ` · ${schedules.join(', ')}` : ' · manual only'}
          </p>
        </div>
        <div className="flex shrink-0 flex-col items-end gap-1.5">
          <StatusBadge label={label} tone={tone} testId="connector-status" />
          {!connector.enabled ? <StatusBadge label="Disabled" tone="neutral" testId="connector-disabled" title="Automatic runs are off" /> : null}
        </div>
      </header>

      {connector.description ? <p className={`line-clamp-2 text-sm ${mutedText}`}>{connector.description}</p> : null}

      {running ? <RunProgress run={running} connectorName={connector.name} /> : null}

      <ConnectorFacts connector={connector} trend={{ figures, days, sparklineRuns }} />

      {error ? (
        <div data-testid="last-error" role="note" className="rounded-lg border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-900 dark:border-red-900 dark:bg-red-950/60 dark:text-red-100">
          <p className="text-xs font-semibold tracking-wide uppercase">Last error · {error.kind}</p>
          <p className="mt-0.5 break-words">{error.message}</p>
        </div>
      ) : null}

      <footer className="mt-auto flex items-center justify-between gap-3 border-t border-slate-100 pt-4 dark:border-slate-800">
        {canRun ? <RunNowButton connectorId={connector.id} connectorName={connector.name} busy={running !== null} handlers={runHandlers} /> : <span />}
        <Link
          href={`/connectors/${encodeURIComponent(connector.id)}`}
          aria-label={`Details of ${connector.name}`}
          className={`shrink-0 rounded-md text-sm font-medium text-indigo-700 hover:underline dark:text-indigo-300 ${focusRing}`}
        >
          Details →
        </Link>
      </footer>
    </article>
  );
});
