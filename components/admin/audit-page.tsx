'use client';

import { useSearchParams } from 'next/navigation';
import { EmptyState, ErrorState, LoadingState } from '@/components/ui/state-panels';
import { card, mutedText, secondaryButton } from '@/components/ui/styles';
import { AdminHeader } from './admin-header';
import { auditFilterFromParams, auditFilterToParams, type AuditFilter } from './audit-filter';
import { AuditFilters } from './audit-filters';
import { AuditTable } from './audit-table';
import { useAuditPage } from './use-audit-page';

const PAGE_SIZE = 25;

/** Who changed what and when, newest first; filters and the page cursor live in the URL. */
export function AuditPage({ names }: { names: Record<string, string> }) {
  const params = useSearchParams();
  const { filter, before } = auditFilterFromParams(new URLSearchParams(params?.toString() ?? ''));
  const { load, retry } = useAuditPage({ filter, before, limit: PAGE_SIZE });
  const filtered = Object.values(filter).some(Boolean);

  const go = (next: AuditFilter, cursor: string | null) => {
    const query = auditFilterToParams(next, { before: cursor }).toString();
    window.history.pushState(null, '', query ? `/admin/audit?${query}` : '/admin/audit');
  };

  let body;
  if (load.state === 'loading') body = <LoadingState label="Loading the audit log…" testId="audit-loading" />;
  else if (load.state === 'error') body = <ErrorState title="Could not load the audit log." message={load.message} onRetry={retry} testId="audit-error" className="m-4" />;
  else if (load.entries.length === 0)
    body = (
      <EmptyState title={filtered || before ? 'No entries match these filters' : 'Nothing changed yet'} testId="audit-empty">
        {filtered || before ? 'Clear a filter to see more.' : 'Every change to connectors, the scheduler, users and tokens appears here.'}
      </EmptyState>
    );
  else
    body = (
      <>
        <AuditTable entries={load.entries} names={names} />
        <div className="flex items-center justify-between gap-3 border-t border-slate-100 px-4 py-3 dark:border-slate-800">
          {before ? (
            <button type="button" className={`${secondaryButton} px-3 py-1.5`} onClick={() => go(filter, null)} data-testid="audit-newest">
              ← Newest
            </button>
          ) : (
            <span className={`text-xs ${mutedText}`}>Newest first</span>
          )}
          {load.next ? (
            <button type="button" className={`${secondaryButton} px-3 py-1.5`} onClick={() => go(filter, load.next)} data-testid="audit-older">
              Older →
            </button>
          ) : (
            <span className={`text-xs ${mutedText}`}>No older entries</span>
          )}
        </div>
      </>
    );

  return (
    <div className="space-y-6" data-testid="audit-page">
      <AdminHeader title="Audit log">Every change anyone made, with who, when and what it was before. Secret values never appear here.</AdminHeader>
      {/* Remounted when the URL's filter changes, so typed fields follow back/forward navigation. */}
      <AuditFilters key={auditFilterToParams(filter).toString()} filter={filter} onChange={(next) => go(next, null)} />
      <section className={card} aria-label="Audit entries">
        {body}
      </section>
    </div>
  );
}
