'use client';

import { useCallback, useState } from 'react';
import { overviewFilterQuery, type OverviewFilter } from '@/lib/overview-filter';

/**
 * The overview's search, status filter and layout, mirrored into the URL query (replacing the history entry,
 * without a server round trip) so a reload or a shared link shows the same selection.
 */
export function useOverviewFilter(initial: OverviewFilter) {
  const [filter, setFilter] = useState(initial);
  const change = useCallback((next: OverviewFilter) => {
    setFilter(next);
    const url = `${window.location.pathname}${overviewFilterQuery(next)}${window.location.hash}`;
    window.history.replaceState(window.history.state, '', url);
  }, []);
  return [filter, change] as const;
}
