'use client';

import Link from 'next/link';
import { useState } from 'react';
import { AuditTable } from '@/components/admin/audit-table';
import { useAuditPage } from '@/components/admin/use-audit-page';
import { EmptyState, ErrorState, LoadingState } from '@/components/ui/state-panels';
import { card, linkText, mutedText, secondaryButton, sectionTitle } from '@/components/ui/styles';

const PAGE_SIZE = 10;

/**
 * Who changed this connector and how (admins only): its audit entries, newest first, read again whenever the
 * connector changes (`version` is its updatedAt).
 */
export function ConnectorAudit({ connectorId, version }: { connectorId: string; version: string }) {
  const [cursors, setCursors] = useState<string[]>([]);
  const before = cursors.at(-1) ?? null;
  const filter = { targetType: 'connector' as const, targetId: connectorId };
  const { load, retry } = useAuditPage({ filter, before, limit: PAGE_SIZE, version });

  let body;
  if (load.state === 'loading') body = <LoadingState label="Loading the change history…" testId="connector-audit-loading" />;
  else if (load.state === 'error') body = <ErrorState title="Could not load the change history." message={load.message} onRetry={retry} className="m-4" />;
  else if (load.entries.length === 0) body = <EmptyState title="No recorded changes" testId="connector-audit-empty">Edits, runs started by hand, cancels and switches appear here.</EmptyState>;
  else
    body = (
      <>
        <AuditTable entries={load.entries} names={{}} showTarget={false} />
        <div className="flex items-center justify-between gap-3 border-t border-slate-100 px-4 py-3 dark:border-slate-800">
          {cursors.length ? (
            <button type="button" className={`${secondaryButton} px-3 py-1.5`} onClick={() => setCursors([])}>
              ← Newest
            </button>
          ) : (
            <span className={`text-xs ${mutedText}`}>Newest first</span>
          )}
          {load.next ? (
            <button type="button" className={`${secondaryButton} px-3 py-1.5`} onClick={() => setCursors([...cursors, load.next!])}>
              Older →
            </button>
          ) : null}
        </div>
      </>
    );

  return (
    <section className={card} aria-labelledby="connector-audit-title" data-testid="connector-audit">
      <div className="flex flex-wrap items-baseline justify-between gap-2 border-b border-slate-100 px-4 py-3 dark:border-slate-800">
        <h2 id="connector-audit-title" className={sectionTitle}>
          Change history
        </h2>
        <Link href={`/admin/audit?targetType=connector&targetId=${encodeURIComponent(connectorId)}`} className={`${linkText} text-sm`}>
          Open in the audit log
        </Link>
      </div>
      {body}
    </section>
  );
}
