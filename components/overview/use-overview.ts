'use client';

import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import type { ConnectorStatus } from '@/lib/connectors/status';
import type { Overview } from '@/lib/overview';
import { ApiRequestError, getJson } from '@/components/api/fetch-json';
import { useLiveEvents, useLiveRoom, type LiveEvent } from '@/components/live/use-live';
import { initialState, overviewReducer } from './overview-reducer';

/** Runs `load` once at a time per key; a request made meanwhile runs once more after it, never dropped. */
function useSerialized(load: (key: string) => Promise<void>) {
  const busy = useRef(new Map<string, boolean>());
  return useCallback(
    async function run(key: string): Promise<void> {
      if (busy.current.has(key)) return void busy.current.set(key, true);
      busy.current.set(key, false);
      try {
        await load(key);
      } finally {
        const again = busy.current.get(key);
        busy.current.delete(key);
        if (again) void run(key);
      }
    },
    [load],
  );
}

/**
 * The dashboard home's state: joins the overview room, starts from the server-rendered overview, follows live
 * events, re-reads a connector's status after each finish or change, and re-reads everything after every
 * (re)join of the room.
 */
export function useOverview(initial: Overview) {
  const [state, dispatch] = useReducer(overviewReducer, initial, initialState);
  const [refreshError, setRefreshError] = useState<string | null>(null);
  const seq = useRef(0);
  const latest = useRef(state);
  useEffect(() => {
    latest.current = state;
  });

  const load = useCallback(async (key: string) => {
    const since = seq.current;
    try {
      if (key === '*') {
        dispatch({ type: 'overview', overview: await getJson<Overview>('/api/overview'), since });
        setRefreshError(null);
      } else {
        dispatch({ type: 'status', status: await getJson<ConnectorStatus>(`/api/connectors/${encodeURIComponent(key)}/status`), since });
      }
    } catch (error) {
      if (error instanceof ApiRequestError && error.status === 404 && key !== '*') dispatch({ type: 'removed', connectorId: key });
      else setRefreshError(error instanceof Error ? error.message : 'Could not refresh');
    }
  }, []);
  const refresh = useSerialized(load);

  // Every (re)join of the overview room re-reads the whole overview, so no event missed while away is lost.
  const joined = useLiveRoom('overview');
  useEffect(() => {
    if (joined > 0) void refresh('*');
  }, [joined, refresh]);

  useLiveEvents((event: LiveEvent) => {
    dispatch({ type: 'event', event, seq: ++seq.current });
    const { overview } = latest.current;
    switch (event.type) {
      case 'sync:start': // the slot that started it is used up: the next run moves on
      case 'sync:finish':
        return void refresh(event.payload.connectorId);
      case 'sync:progress': {
        const known = overview.connectors.find((c) => c.id === event.payload.connectorId)?.running?.id === event.payload.runId;
        return known ? undefined : void refresh(event.payload.connectorId);
      }
      case 'connector:updated': {
        const { connectorId, created, deleted } = event.payload;
        return void refresh(created || deleted ? '*' : connectorId);
      }
      case 'heartbeat': {
        const known = overview.instances.some((i) => i.id === event.payload.instanceId);
        const schedulerChanged = overview.scheduler.state !== event.payload.scheduler;
        return known && !schedulerChanged ? undefined : void refresh('*');
      }
    }
  });

  const runHandlers = useMemo(
    () => ({
      onQueued: (connectorId: string, runId: string) => dispatch({ type: 'queued', connectorId, runId, at: new Date().toISOString(), seq: ++seq.current }),
      onConflict: (connectorId: string) => void refresh(connectorId),
    }),
    [refresh],
  );

  return { overview: state.overview, refreshError, runHandlers, joined };
}
