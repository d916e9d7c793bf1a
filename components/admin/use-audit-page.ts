'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import type { AuditEntry } from '@/lib/audit/audit';
import { errorMessage, getJson } from '@/components/api/fetch-json';
import { auditFilterToParams, type AuditFilter } from './audit-filter';

export type AuditLoad = { state: 'loading' } | { state: 'error'; message: string } | { state: 'ready'; entries: AuditEntry[]; next: string | null };

type Outcome = { query: string } & ({ error: string } | { entries: AuditEntry[]; next: string | null });

/**
 * One page of the audit log for a filter and cursor. The page is loading while the answer held is for another
 * query; a newer query always wins over a slower older one.
 */
export function useAuditPage({ filter, before, limit, version = '' }: { filter: AuditFilter; before: string | null; limit: number; version?: string }) {
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const request = useRef(0);
  const path = auditFilterToParams(filter, { before, limit }).toString();
  // A new `version` (the target changed) reads the page again.
  const query = version ? `${path}#${version}` : path;

  const fetchPage = useCallback(() => {
    const mine = ++request.current;
    getJson<{ entries: AuditEntry[]; next: string | null }>(`/api/audit?${path}`).then(
      (page) => mine === request.current && setOutcome({ query, ...page }),
      (error: unknown) => mine === request.current && setOutcome({ query, error: errorMessage(error, 'Could not load the audit log') }),
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `query` stands for `path` plus the version
  }, [query]);

  useEffect(fetchPage, [fetchPage]);

  const load: AuditLoad =
    outcome?.query !== query ? { state: 'loading' } : 'error' in outcome ? { state: 'error', message: outcome.error } : { state: 'ready', entries: outcome.entries, next: outcome.next };
  const retry = () => {
    setOutcome(null);
    fetchPage();
  };
  return { load, retry };
}
