'use client';

import Link from 'next/link';
import type { Run } from '@/lib/runs/store';
import { StatusBadge } from '@/components/overview/status-badge';
import { labelOfRun, toneOfRun } from '@/components/overview/status-label';
import { formatDuration } from '@/components/time/format';
import { LocalTime } from '@/components/time/local-time';
import { RelativeTime } from '@/components/time/relative-time';
import { linkText, mutedText } from '@/components/ui/styles';

const number = new Intl.NumberFormat('en-US');
export const runCell = 'px-3 py-2.5 align-top first:pl-4 last:pr-4';

export const runHref = (id: string) => `/runs/${encodeURIComponent(id)}`;

function Progress({ run }: { run: Run }) {
  const { done = 0, total } = run.progress ?? {};
  if (run.status === 'queued') return <span className={mutedText}>waiting</span>;
  const percent = total ? Math.min(100, Math.round((done / total) * 100)) : null;
  return (
    <span className="inline-flex items-center gap-2">
      <span aria-hidden="true" className="h-1.5 w-16 overflow-hidden rounded-full bg-slate-200 dark:bg-slate-700">
        <span className="block h-full rounded-full bg-sky-500 transition-[width]" style={{ width: `${percent ?? 15}%` }} />
      </span>
      <span className="tabular-nums">{percent !== null ? `${percent}%` : `${number.format(done)} done`}</span>
    </span>
  );
}

/** One run in a history table; its start time links to the run's page. */
export function RunRow({ run, connectorName }: { run: Run; connectorName?: string }) {
  const when = run.startedAt ?? run.queuedAt;
  const going = run.status === 'running' || run.status === 'queued';
  const { created, updated, failed } = run.counts;
  return (
    <tr data-testid="run-row" data-run-id={run.id} data-status={run.status} className="hover:bg-slate-50 dark:hover:bg-slate-800/40">
      <td className={runCell}>
        <StatusBadge label={labelOfRun(run.status)} tone={toneOfRun(run.status)} />
      </td>
      <td className={`${runCell} whitespace-nowrap`}>
        <Link href={runHref(run.id)} className={linkText} data-testid="run-link">
          <LocalTime iso={when} />
        </Link>
        <RelativeTime iso={when} className={`block text-xs ${mutedText}`} />
      </td>
      {connectorName !== undefined ? (
        <td className={runCell}>
          <Link href={`/connectors/${encodeURIComponent(run.connectorId)}`} className="rounded-sm hover:underline">
            {connectorName}
          </Link>
        </td>
      ) : null}
      <td className={runCell}>
        <span className="capitalize">{run.trigger}</span>
        <span className={`block max-w-48 truncate text-xs ${mutedText}`} title={run.initiatedBy}>
          {run.initiatedBy}
        </span>
      </td>
      <td className={`${runCell} tabular-nums`}>{going ? <Progress run={run} /> : run.durationMs !== undefined && run.status !== 'skipped' ? formatDuration(run.durationMs) : '—'}</td>
      <td className={`${runCell} text-right whitespace-nowrap tabular-nums`}>
        <span title="created">{number.format(created)}</span>
        <span className={mutedText}> / </span>
        <span title="updated">{number.format(updated)}</span>
        <span className={mutedText}> / </span>
        <span title="failed" className={failed ? 'font-semibold text-red-700 dark:text-red-300' : undefined}>
          {number.format(failed)}
        </span>
      </td>
      <td className={`${runCell} max-w-72 text-xs`}>
        {run.error ? (
          <span className="line-clamp-2 text-red-800 dark:text-red-200" title={run.error.message}>
            <span className="font-semibold">{run.error.kind}:</span> {run.error.message}
          </span>
        ) : run.reason ? (
          <span className={`line-clamp-2 ${mutedText}`} title={run.reason}>
            {run.reason}
          </span>
        ) : null}
      </td>
    </tr>
  );
}
