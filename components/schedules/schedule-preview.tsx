'use client';

import { LocalTime } from '@/components/time/local-time';
import { RelativeTime } from '@/components/time/relative-time';
import { Spinner } from '@/components/ui/spinner';
import { mutedText } from '@/components/ui/styles';
import type { Preview } from './use-schedule-preview';

/** The schedule in words and its next five slots (in the schedule's own time zone for cron). */
export function SchedulePreview({ preview, timeZone }: { preview: Preview; timeZone?: string }) {
  if (preview.state === 'loading') {
    return (
      <p className={`flex items-center gap-2 text-xs ${mutedText}`} role="status">
        <Spinner className="size-3" /> Working out the next runs…
      </p>
    );
  }
  if (preview.state !== 'ready') {
    return (
      <p className="text-xs text-amber-800 dark:text-amber-200" data-testid="schedule-preview-problem">
        <span aria-hidden="true">! </span>
        {preview.state === 'invalid' ? `No preview: ${preview.message}` : preview.message}
      </p>
    );
  }
  return (
    <div className="space-y-1.5" data-testid="schedule-preview">
      <p className="text-sm font-medium first-letter:uppercase" data-testid="schedule-description">
        {preview.description}
      </p>
      <ol className="gap-x-8 text-xs sm:columns-2" aria-label="Next runs">
        {preview.slots.map((slot) => (
          <li key={slot} className="flex break-inside-avoid justify-between gap-2 py-px tabular-nums" data-testid="schedule-next-run">
            <LocalTime iso={slot} format="slot" timeZone={timeZone} />
            <RelativeTime iso={slot} future className={mutedText} />
          </li>
        ))}
      </ol>
    </div>
  );
}
