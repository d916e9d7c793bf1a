'use client';

import { useCallback, useEffect, useState } from 'react';
import type { Run } from '@/lib/runs/store';
import { errorMessage, getJson } from '@/components/api/fetch-json';
import { useLiveEvents, useLiveRoom } from '@/components/live/use-live';
import { applyRunEvent } from '@/components/runs/run-list-reducer';
import { appendLine, mergeLog, toLine, type LogLine } from './run-log-merge';

/**
 * One run, live: joins its room, applies its start, progress and finish, appends its log lines as they come,
 * and re-reads it from the API after every (re)join so nothing said meanwhile is missed.
 */
export function useRun(initial: Run) {
  const [run, setRun] = useState<Run>(initial);
  const [log, setLog] = useState<LogLine[]>(initial.log ?? []);
  const [refreshError, setRefreshError] = useState<string | null>(null);
  const going = run.status === 'running' || run.status === 'queued';

  const refresh = useCallback(
    () =>
      getJson<Run>(`/api/runs/${encodeURIComponent(initial.id)}`).then(
        (fetched) => {
          // Progress events may be ahead of what the server has saved so far.
          setRun((local) => (fetched.status === 'running' && (local.progress?.done ?? 0) > (fetched.progress?.done ?? 0) ? { ...fetched, progress: local.progress, counts: local.counts } : fetched));
          setLog((local) => mergeLog(fetched.log ?? [], local));
          setRefreshError(null);
        },
        (error: unknown) => setRefreshError(errorMessage(error, 'Could not refresh the run')),
      ),
    [initial.id],
  );

  // A finished run says nothing more: no room to join.
  const joined = useLiveRoom(going ? `run:${initial.id}` : null);
  useEffect(() => {
    if (joined > 0) void refresh();
  }, [joined, refresh]);

  useLiveEvents((event) => {
    if (event.type === 'heartbeat' || event.type === 'connector:updated' || event.payload.runId !== initial.id) return;
    if (event.type === 'sync:log') return setLog((l) => appendLine(l, toLine(event.payload)));
    setRun((r) => applyRunEvent(r, event));
    if (event.type === 'sync:finish') void refresh(); // the final log and figures as stored
  });

  return { run, log, going, refreshError, refresh };
}
