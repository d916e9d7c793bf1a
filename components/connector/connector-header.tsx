'use client';

import Link from 'next/link';
import type { Permissions } from '@/lib/auth/permissions';
import type { ConnectorStatus } from '@/lib/connectors/status';
import type { Connector } from '@/lib/connectors/store';
import { RunNowButton } from '@/components/overview/run-now-button';
import { StatusBadge } from '@/components/overview/status-badge';
import { statusOf } from '@/components/overview/status-label';
import { codeTag, linkText, mutedText } from '@/components/ui/styles';
import { CancelRunButton } from './cancel-run-button';
import { EnableToggle } from './enable-toggle';

interface Props {
  connector: Connector;
  status: ConnectorStatus;
  can: Permissions;
  onChanged(connector: Connector): void;
  onQueued(runId: string): void;
  onConflict(): void;
}

/** Name, kind and description, the live state, and the controls the reader's role allows. */
export function ConnectorHeader({ connector, status, can, onChanged, onQueued, onConflict }: Props) {
  const { label, tone } = statusOf(status);
  const going = status.running;
  return (
    <header className="space-y-4">
      <nav aria-label="Breadcrumb" className={`text-sm ${mutedText}`}>
        <Link href="/" className={linkText}>
          Overview
        </Link>
        <span aria-hidden="true"> / </span>
        <span aria-current="page">{connector.name}</span>
      </nav>
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div className="min-w-0 space-y-1">
          <h1 className="text-2xl font-semibold tracking-tight break-words">{connector.name}</h1>
          <p className={`flex flex-wrap items-center gap-2 text-sm ${mutedText}`}>
            <span className={codeTag} title="Kind">
              {connector.kind}
            </span>
            <span className="font-mono text-xs">{connector.id}</span>
          </p>
          {connector.description ? <p className={`max-w-3xl text-sm ${mutedText}`}>{connector.description}</p> : null}
        </div>
        <div className="flex flex-wrap items-center gap-2">
          <StatusBadge label={label} tone={tone} testId="connector-status" />
          {!connector.enabled ? <StatusBadge label="Scheduled runs off" tone="neutral" testId="connector-disabled" /> : null}
        </div>
      </div>
      <div className="flex flex-wrap items-center gap-x-6 gap-y-3 border-y border-slate-200 py-3 dark:border-slate-800">
        {can.run ? (
          <RunNowButton connectorId={connector.id} connectorName={connector.name} busy={going !== null} handlers={{ onQueued: (_id, runId) => onQueued(runId), onConflict }} />
        ) : null}
        {can.cancel ? <CancelRunButton connectorId={connector.id} run={going} /> : null}
        {can.toggle ? (
          <EnableToggle connector={connector} onChanged={onChanged} />
        ) : (
          <p className={`text-sm ${mutedText}`}>Scheduled runs are {connector.enabled ? 'on' : 'off'}.</p>
        )}
        {!can.run ? <p className={`text-sm ${mutedText}`}>Your role can watch this connector; operators can run and cancel it.</p> : null}
      </div>
    </header>
  );
}
