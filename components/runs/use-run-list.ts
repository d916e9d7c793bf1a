'use client';

import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import type { Run } from '@/lib/runs/store';
import { emptyCounts } from '@/lib/domain/run';
import { errorMessage, getJson } from '@/components/api/fetch-json';
import { useLiveEpoch, useLiveEvents, useLiveRoom } from '@/components/live/use-live';
import { filterToParams, matchesFilter, type RunFilter } from './run-filter';
import { emptyRunList, runListReducer } from './run-list-reducer';

interface Options {
  filter: RunFilter;
  /** Start from this cursor (an older page); new runs are then not prepended. */
  before?: string | null;
  limit: number;
}

export type Load = { state: 'loading' } | { state: 'ready' } | { state: 'error'; message: string };

const runUrl = (id: string) => `/api/runs/${encodeURIComponent(id)}`;

/**
 * One filtered page of run history that stays live: rows update on progress and finish, new runs that match
 * appear at the top (on the newest page), and after a reconnect the first page is read again.
 */
export function useRunList({ filter, before = null, limit }: Options) {
  const [list, dispatch] = useReducer(runListReducer, emptyRunList);
  /** Which query the list holds, or failed to load: the list is loading while it differs from the current one. */
  const [outcome, setOutcome] = useState<{ key: string; error: string | null } | null>(null);
  const [more, setMore] = useState<{ busy: boolean; error: string | null }>({ busy: false, error: null });
  const request = useRef(0);
  const key = JSON.stringify([filter, before, limit]);
  const live = !before;
  const load: Load = outcome?.key !== key ? { state: 'loading' } : outcome.error ? { state: 'error', message: outcome.error } : { state: 'ready' };

  const fetchPage = useCallback(
    (cursor: string | null) => getJson<{ runs: Run[]; next: string | null }>(`/api/runs?${filterToParams(filter, { before: cursor, limit })}`),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `key` stands for the filter's content
    [key],
  );

  const reload = useCallback(
    (mode: 'replace' | 'merge') => {
      const mine = ++request.current;
      return fetchPage(before).then(
        (page) => {
          if (mine !== request.current) return;
          dispatch({ type: 'page', ...page, mode });
          setOutcome({ key, error: null });
        },
        (error: unknown) => {
          if (mine === request.current && mode === 'replace') setOutcome({ key, error: errorMessage(error, 'Could not load runs') });
        },
      );
    },
    [fetchPage, before, key],
  );

  useEffect(() => {
    void reload('replace');
  }, [reload]);

  // Runs of every connector come through the overview room; one connector's through its own room.
  useLiveRoom(filter.connectorId && /^[a-z0-9][a-z0-9-]{0,62}$/.test(filter.connectorId) ? `connector:${filter.connectorId}` : 'overview');
  const epoch = useLiveEpoch();
  useEffect(() => {
    if (epoch > 1) void reload('merge'); // the first connect follows the first load closely; later ones follow outages
  }, [epoch, reload]);

  /** Shows a run the list may not hold yet (just queued here, or ended without starting). */
  const track = useCallback(
    async (runId: string) => {
      const run = await getJson<Run>(runUrl(runId)).catch(() => null);
      if (run && live && matchesFilter(run, filter)) dispatch({ type: 'upsert', run: { ...run, log: undefined } });
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `key` stands for the filter's content
    [key, live],
  );

  const known = useRef(new Set<string>());
  useEffect(() => {
    known.current = new Set(list.runs.map((r) => r.id));
  }, [list.runs]);

  useLiveEvents((event) => {
    if (event.type === 'heartbeat' || event.type === 'connector:updated' || event.type === 'sync:log') return;
    dispatch({ type: 'event', event });
    if (known.current.has(event.payload.runId) || !live || load.state !== 'ready') return;
    if (event.type === 'sync:start') {
      const { runId, connectorId, trigger, initiatedBy, startedAt } = event.payload;
      const run: Run = { id: runId, connectorId, trigger, initiatedBy, status: 'running', queuedAt: startedAt, startedAt, counts: emptyCounts() };
      if (matchesFilter(run, filter)) dispatch({ type: 'upsert', run, onlyIfNew: true });
    } else if (event.type === 'sync:finish' && (!filter.connectorId || filter.connectorId === event.payload.connectorId)) {
      void track(event.payload.runId);
    }
  });

  const loadMore = useCallback(async () => {
    if (!list.next) return;
    setMore({ busy: true, error: null });
    try {
      dispatch({ type: 'page', ...(await fetchPage(list.next)), mode: 'append' });
      setMore({ busy: false, error: null });
    } catch (error) {
      setMore({ busy: false, error: errorMessage(error, 'Could not load older runs') });
    }
  }, [fetchPage, list.next]);

  return { runs: list.runs, next: list.next, load, more, loadMore, retry: () => {
      setOutcome(null);
      void reload('replace');
    }, track };
}
