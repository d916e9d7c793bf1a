'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import type { OverviewStats } from '@/lib/overview-stats';
import { errorMessage, getJson } from '@/components/api/fetch-json';
import { useLiveEvents } from '@/components/live/use-live';
import type { ChartState } from '@/components/charts/chart-frame';

/** Window of the success rates and durations, hours in the runs-per-hour chart, runs in each sparkline. */
export const STATS_DAYS = 7;
export const STATS_HOURS = 24;
export const SPARKLINE_RUNS = 20;

/** Finishes come in bursts; one re-read follows them, and re-reads are at least this far apart on a busy fleet. */
const SETTLE_MS = 1500;
const MIN_GAP_MS = 10_000;

/**
 * The overview's figures (success rates, durations, sparklines, runs per hour). Read once, again after runs end
 * (throttled) and after every (re)join of the overview room (`joined`), so figures never miss a finish.
 */
export function useOverviewStats(joined: number) {
  const [stats, setStats] = useState<OverviewStats | null>(null);
  const [state, setState] = useState<ChartState>('loading');
  const [error, setError] = useState<string | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const lastLoad = useRef(0);

  const load = useCallback(() => {
    clearTimeout(timer.current);
    timer.current = undefined;
    lastLoad.current = Date.now();
    return getJson<OverviewStats>(`/api/overview/stats?days=${STATS_DAYS}&hours=${STATS_HOURS}&sparkline=${SPARKLINE_RUNS}`).then(
      (fetched) => {
        setStats(fetched);
        setState('ready');
        setError(null);
      },
      (e: unknown) => {
        setError(errorMessage(e, 'Could not load the figures'));
        setState((s) => (s === 'ready' ? s : 'error')); // keep showing the last figures
      },
    );
  }, []);

  useEffect(() => {
    void load();
  }, [load, joined]);
  useEffect(() => () => clearTimeout(timer.current), []);

  useLiveEvents((event) => {
    if (event.type !== 'sync:finish' || timer.current !== undefined) return;
    const wait = Math.max(SETTLE_MS, MIN_GAP_MS - (Date.now() - lastLoad.current));
    timer.current = setTimeout(() => void load(), wait);
  });

  return { stats, state, error, retry: load };
}
