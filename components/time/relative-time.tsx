'use client';

import { formatDateTime, formatRelative } from './format';
import { useNow } from './now-provider';

/** A `<time>` that reads "12 s ago" or "in 41 s", ticking every second, with the exact time as a tooltip. */
export function RelativeTime({ iso, future = false, className }: { iso: string; future?: boolean; className?: string }) {
  const { now, hydrated } = useNow();
  return (
    <time dateTime={iso} title={hydrated ? formatDateTime(iso) : undefined} className={className}>
      {formatRelative(iso, now, { future })}
    </time>
  );
}
