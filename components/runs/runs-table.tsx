'use client';

import type { ReactNode } from 'react';
import { EmptyState, ErrorState, LoadingState } from '@/components/ui/state-panels';
import { tableHead } from '@/components/ui/styles';
import { RunRow, runCell } from './run-row';
import type { useRunList } from './use-run-list';

interface Props {
  list: Pick<ReturnType<typeof useRunList>, 'runs' | 'load' | 'retry'>;
  /** Names by connector id; when given, a Connector column is shown. */
  connectorNames?: Record<string, string>;
  /** What to say when there is no run (depends on filters). */
  empty: { title: string; hint?: string };
  /** Pagination controls under the table. */
  footer?: ReactNode;
  caption: string;
}

/** Run history as a table, with loading, empty and error states. */
export function RunsTable({ list, connectorNames, empty, footer, caption }: Props) {
  const { runs, load } = list;
  if (load.state === 'loading') return <LoadingState label="Loading runs…" testId="runs-loading" />;
  if (load.state === 'error') return <ErrorState title="Could not load runs." message={load.message} onRetry={list.retry} testId="runs-error" className="m-4" />;
  if (runs.length === 0) {
    return (
      <EmptyState title={empty.title} testId="runs-empty">
        {empty.hint}
      </EmptyState>
    );
  }
  const withConnector = connectorNames !== undefined;
  return (
    <div>
      <div className="overflow-x-auto">
        <table data-testid="runs-table" className="w-full text-sm">
          <caption className="sr-only">{caption}</caption>
          <thead className={`${tableHead} border-b border-slate-100 dark:border-slate-800`}>
            <tr>
              <th scope="col" className={`${runCell} font-medium`}>Status</th>
              <th scope="col" className={`${runCell} font-medium`}>Started</th>
              {withConnector ? <th scope="col" className={`${runCell} font-medium`}>Connector</th> : null}
              <th scope="col" className={`${runCell} font-medium`}>Trigger</th>
              <th scope="col" className={`${runCell} font-medium`}>Duration</th>
              <th scope="col" className={`${runCell} text-right font-medium`}>
                <abbr title="created / updated / failed records" className="no-underline">Records c/u/f</abbr>
              </th>
              <th scope="col" className={`${runCell} font-medium`}>Error or reason</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
            {runs.map((run) => (
              <RunRow key={run.id} run={run} connectorName={withConnector ? (connectorNames[run.connectorId] ?? run.connectorId) : undefined} />
            ))}
          </tbody>
        </table>
      </div>
      {footer}
    </div>
  );
}
