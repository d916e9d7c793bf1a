'use client';

import { memo } from 'react';
import Link from 'next/link';
import type { ConnectorStatus } from '@/lib/connectors/status';
import type { ConnectorFigures } from '@/lib/overview-stats';
import { DurationSparkline } from '@/components/charts/sparkline';
import { RelativeTime } from '@/components/time/relative-time';
import { card, codeTag, focusRing, mutedText, tableHead } from '@/components/ui/styles';
import { FailureStreak, LastRun, SuccessRate } from './connector-figures';
import { RunNowButton } from './run-now-button';
import { RunProgress } from './run-progress';
import { StatusBadge } from './status-badge';
import { statusOf } from './status-label';
import type { RunNowHandlers } from './use-run-now';

interface Props {
  connectors: ConnectorStatus[];
  figures: ReadonlyMap<string, ConnectorFigures> | null;
  canRun: boolean;
  runHandlers: RunNowHandlers;
  days: number;
  sparklineRuns: number;
}

const cell = 'px-3 py-2 align-middle';

/** One compact row per connector, for fleets of hundreds: the same facts as the cards, at a glance. */
export function ConnectorTable({ connectors, figures, canRun, runHandlers, days, sparklineRuns }: Props) {
  return (
    <div className={`${card} overflow-x-auto`}>
      <table className="w-full text-sm" data-testid="connector-table">
        <thead className={`${tableHead} border-b border-slate-200 dark:border-slate-800`}>
          <tr>
            <th scope="col" className={`${cell} font-medium`}>Connector</th>
            <th scope="col" className={`${cell} font-medium`}>Status</th>
            <th scope="col" className={`${cell} font-medium`}>Last run</th>
            <th scope="col" className={`${cell} font-medium`}>Next run</th>
            <th scope="col" className={`${cell} font-medium`}>Success · {days} d</th>
            <th scope="col" className={`${cell} font-medium`}>Streak</th>
            <th scope="col" className={`${cell} font-medium`}>Last {sparklineRuns} durations</th>
            {canRun ? <th scope="col" className={`${cell} font-medium`}><span className="sr-only">Actions</span></th> : null}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
          {connectors.map((c) => (
            <ConnectorRow key={c.id} connector={c} figures={figures ? (figures.get(c.id) ?? null) : undefined} canRun={canRun} runHandlers={runHandlers} sparklineRuns={sparklineRuns} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

interface RowProps {
  connector: ConnectorStatus;
  figures: ConnectorFigures | null | undefined;
  canRun: boolean;
  runHandlers: RunNowHandlers;
  sparklineRuns: number;
}

/** One row; memoized, so a live event re-renders only the row of its connector. */
const ConnectorRow = memo(function ConnectorRow({ connector: c, figures: mine, canRun, runHandlers, sparklineRuns }: RowProps) {
  const { label, tone } = statusOf(c);
  return (
    <tr data-testid="connector-row" data-connector-id={c.id} className={tone === 'bad' ? 'bg-red-50/50 dark:bg-red-950/20' : undefined}>
      <td className={`${cell} max-w-64`}>
        <Link href={`/connectors/${encodeURIComponent(c.id)}`} data-testid="connector-link" className={`block truncate rounded-sm font-medium hover:text-indigo-700 hover:underline dark:hover:text-indigo-300 ${focusRing}`}>
          {c.name}
        </Link>
        <span className={`block truncate text-xs ${mutedText}`}>
          <span className={codeTag}>{c.kind}</span> {c.id}
        </span>
      </td>
      <td className={`${cell} w-52`}>
        <div className="flex flex-wrap items-center gap-1.5">
          <StatusBadge label={label} tone={tone} testId="connector-status" />
          {!c.enabled ? <StatusBadge label="Disabled" tone="neutral" testId="connector-disabled" title="Automatic runs are off" /> : null}
        </div>
        {c.running ? (
          <div className="mt-1.5">
            <RunProgress run={c.running} connectorName={c.name} compact />
          </div>
        ) : null}
      </td>
      <td className={`${cell} whitespace-nowrap`} data-testid="last-run">
        <LastRun run={c.lastRun} showDuration={false} />
      </td>
      <td className={`${cell} whitespace-nowrap`} data-testid="next-run">
        {c.nextRun ? <RelativeTime iso={c.nextRun} future /> : <span className={mutedText}>—</span>}
      </td>
      <td className={`${cell} whitespace-nowrap`}>
        <SuccessRate figures={mine} />
      </td>
      <td className={`${cell} whitespace-nowrap`}>
        <FailureStreak count={c.consecutiveFailures} />
      </td>
      <td className={cell}>{mine === undefined ? null : <DurationSparkline runs={mine?.recent ?? []} slots={sparklineRuns} />}</td>
      {canRun ? (
        <td className={`${cell} w-36`}>
          <RunNowButton connectorId={c.id} connectorName={c.name} busy={c.running !== null} handlers={runHandlers} compact />
        </td>
      ) : null}
    </tr>
  );
});
