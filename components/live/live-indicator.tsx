'use client';

import { formatClock } from '@/components/time/format';
import { useNow } from '@/components/time/now-provider';
import { connectionStateOf, type ConnectionState } from './connection-state';
import { useLiveEpoch, useLiveStatus } from './use-live';

const looks: Record<ConnectionState, { box: string; dot: string }> = {
  live: {
    box: 'border-emerald-300 bg-emerald-50 text-emerald-800 dark:border-emerald-800 dark:bg-emerald-950/60 dark:text-emerald-300',
    dot: 'bg-emerald-500 motion-safe:animate-pulse',
  },
  reconnecting: {
    box: 'border-amber-300 bg-amber-50 text-amber-900 dark:border-amber-700 dark:bg-amber-950/60 dark:text-amber-200',
    dot: 'bg-amber-500 motion-safe:animate-ping',
  },
  stale: {
    box: 'border-red-400 bg-red-600 text-white dark:border-red-500 dark:bg-red-700',
    dot: '',
  },
};

/** "Live", "Reconnecting…" or a loud "Stale" with the time of the last heartbeat. */
export function LiveIndicator() {
  const status = useLiveStatus();
  const epoch = useLiveEpoch();
  const { now, hydrated } = useNow();
  const state = connectionStateOf(status, now);
  const last = status.lastHeartbeat;
  const label =
    state === 'live'
      ? 'Live'
      : state === 'reconnecting'
        ? epoch === 0 ? 'Connecting…' : 'Reconnecting…'
        : `Stale${hydrated && last ? ` · last heartbeat ${formatClock(last.at)}` : ' · no heartbeat'}`;
  const look = looks[state];
  return (
    <span
      data-testid="live-indicator"
      data-state={state}
      role="status"
      aria-live="polite"
      title={state === 'live' ? 'Receiving live updates from the server' : undefined}
      className={`inline-flex items-center gap-2 rounded-full border px-2.5 py-1 text-xs font-semibold whitespace-nowrap ${look.box}`}
    >
      {state === 'stale' ? (
        <span aria-hidden="true">⚠</span>
      ) : (
        <span aria-hidden="true" className="relative flex size-2">
          <span className={`absolute inline-flex size-full rounded-full opacity-75 ${look.dot}`} />
          <span className={`relative inline-flex size-2 rounded-full ${look.dot.split(' ')[0]}`} />
        </span>
      )}
      {label}
    </span>
  );
}
