'use client';

import { formatClock, formatDateTime, formatShortDateTime, formatSlot } from './format';
import { useNow } from './now-provider';

const formats = { short: formatShortDateTime, full: formatDateTime, clock: formatClock, slot: formatSlot } as const;

/**
 * A time in the reader's locale and zone (or `timeZone`). Until hydration it shows the UTC ISO form, so the
 * server's and the browser's first render agree.
 */
export function LocalTime({ iso, format = 'short', timeZone, className }: { iso: string; format?: keyof typeof formats; timeZone?: string; className?: string }) {
  const { hydrated } = useNow();
  const text = !hydrated ? `${iso.slice(0, 19).replace('T', ' ')} UTC` : format === 'short' || format === 'slot' ? formats[format](iso, timeZone) : formats[format](iso);
  return (
    <time dateTime={iso} title={hydrated ? formatDateTime(iso) : undefined} className={className}>
      {text}
    </time>
  );
}
