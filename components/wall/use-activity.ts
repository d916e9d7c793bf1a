'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import type { Activity } from '@/lib/runs/activity';
import { getJson } from '@/components/api/fetch-json';
import { useLiveEpoch, useLiveEvents } from '@/components/live/use-live';

/** After a finish, the charts are re-read at most this often: a busy wall would otherwise ask after every run. */
const AFTER_FINISH_MS = 10_000;
/**
 * Slow periodic re-read of the chart aggregates. Status never comes from here (it comes from live events); this
 * only moves the 24-hour window on when no run finishes for a long while, so the oldest hour drops off.
 */
const WINDOW_REFRESH_MS = 5 * 60_000;

/** The 24-hour activity figures for the wall's charts: read on every (re)connect, after finishes, and slowly on a timer. */
export function useActivity(): { activity: Activity | null; failed: boolean } {
  const [activity, setActivity] = useState<Activity | null>(null);
  const [failed, setFailed] = useState(false);
  const pending = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const load = useCallback(() => {
    getJson<Activity>('/api/activity?hours=24').then(
      (next) => {
        setActivity(next);
        setFailed(false);
      },
      () => setFailed(true),
    );
  }, []);

  const epoch = useLiveEpoch();
  useEffect(() => {
    if (epoch > 0) load();
  }, [epoch, load]);

  useEffect(() => {
    const timer = setInterval(load, WINDOW_REFRESH_MS);
    return () => {
      clearInterval(timer);
      clearTimeout(pending.current);
    };
  }, [load]);

  useLiveEvents((event) => {
    if (event.type !== 'sync:finish' || pending.current) return;
    pending.current = setTimeout(() => {
      pending.current = undefined;
      load();
    }, AFTER_FINISH_MS);
  });

  return { activity, failed };
}
