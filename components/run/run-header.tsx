'use client';

import Link from 'next/link';
import type { Run } from '@/lib/runs/store';
import { CancelRunButton } from '@/components/connector/cancel-run-button';
import { RunProgress } from '@/components/overview/run-progress';
import { StatusBadge } from '@/components/overview/status-badge';
import { labelOfRun, toneOfRun } from '@/components/overview/status-label';
import { linkText, mutedText } from '@/components/ui/styles';

/** Breadcrumb, which run this is, its live status, progress while it goes, and Cancel for operators. */
export function RunHeader({ run, connectorName, canCancel }: { run: Run; connectorName: string; canCancel: boolean }) {
  const connectorHref = `/connectors/${encodeURIComponent(run.connectorId)}`;
  return (
    <header className="space-y-4">
      <nav aria-label="Breadcrumb" className={`text-sm ${mutedText}`}>
        <Link href="/runs" className={linkText}>
          Runs
        </Link>
        <span aria-hidden="true"> / </span>
        <Link href={connectorHref} className={linkText}>
          {connectorName}
        </Link>
        <span aria-hidden="true"> / </span>
        <span aria-current="page">this run</span>
      </nav>
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div className="min-w-0">
          <h1 className="text-2xl font-semibold tracking-tight">
            <span className="capitalize">{run.trigger}</span> run of{' '}
            <Link href={connectorHref} className="hover:underline">
              {connectorName}
            </Link>
          </h1>
          <p className={`mt-1 font-mono text-xs break-all ${mutedText}`} data-testid="run-id">
            {run.id}
          </p>
        </div>
        <StatusBadge label={labelOfRun(run.status)} tone={toneOfRun(run.status)} testId="run-status" />
      </div>
      {run.status === 'running' || run.status === 'queued' ? (
        <div className="max-w-2xl space-y-3">
          <RunProgress run={run} connectorName={connectorName} compact />
          {canCancel && run.status === 'running' ? <CancelRunButton connectorId={run.connectorId} run={run} /> : null}
        </div>
      ) : null}
    </header>
  );
}
