'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import type { ConnectorStats } from '@/lib/runs/stats';
import { errorMessage, getJson } from '@/components/api/fetch-json';
import { useLiveEpoch, useLiveEvents } from '@/components/live/use-live';
import type { ChartState } from '@/components/charts/chart-frame';

/** Finishes often come in bursts (a slot and its retry); one re-read follows them. */
const SETTLE_MS = 1500;

/** The connector's chart figures for the last `days`, read again after each of its runs ends and after reconnects. */
export function useConnectorStats(connectorId: string, days: number) {
  const [stats, setStats] = useState<ConnectorStats | null>(null);
  const [state, setState] = useState<ChartState>('loading');
  const [error, setError] = useState<string | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const load = useCallback(
    () =>
      getJson<ConnectorStats>(`/api/connectors/${encodeURIComponent(connectorId)}/stats?days=${days}`).then(
        (fetched) => {
          setStats(fetched);
          setState('ready');
          setError(null);
        },
        (e: unknown) => {
          setError(errorMessage(e, 'Could not load the figures'));
          setState((s) => (s === 'ready' ? s : 'error')); // keep showing the last figures
        },
      ),
    [connectorId, days],
  );

  const epoch = useLiveEpoch();
  useEffect(() => {
    void load();
  }, [load, epoch]);
  useEffect(() => () => clearTimeout(timer.current), []);

  useLiveEvents((event) => {
    if (event.type !== 'sync:finish' || event.payload.connectorId !== connectorId) return;
    clearTimeout(timer.current);
    timer.current = setTimeout(() => void load(), SETTLE_MS);
  });

  return { stats, state, error, retry: load };
}
