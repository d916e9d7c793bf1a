'use client';

import { formatClock } from '@/components/time/format';
import { useNow } from '@/components/time/now-provider';
import { connectionStateOf, needsBanner } from './connection-state';
import { useLiveStatus } from './use-live';

/** A full-width warning when the page has stopped receiving live updates for more than a blip. */
export function LiveBanner() {
  const status = useLiveStatus();
  const { now, hydrated } = useNow();
  if (!hydrated || !needsBanner(status, now)) return null;
  const stale = connectionStateOf(status, now) === 'stale';
  const last = status.lastHeartbeat;
  const message = stale
    ? `No heartbeat from the server ${last ? `since ${formatClock(last.at)}` : 'since connecting'}. The server or its database may be stuck.`
    : `Connection to the server lost at ${formatClock(status.since)}. Reconnecting…`;
  return (
    <div
      role="alert"
      data-testid="live-banner"
      data-state={stale ? 'stale' : 'reconnecting'}
      className={`border-b px-4 py-2.5 text-sm font-medium sm:px-6 ${
        stale
          ? 'border-red-700 bg-red-600 text-white dark:bg-red-700'
          : 'border-amber-300 bg-amber-100 text-amber-950 dark:border-amber-800 dark:bg-amber-900/70 dark:text-amber-100'
      }`}
    >
      <div className="mx-auto flex max-w-7xl items-center gap-2">
        <span aria-hidden="true">⚠</span>
        <p>
          {message} <span className="font-normal opacity-90">Figures on this page may be out of date.</span>
        </p>
      </div>
    </div>
  );
}
