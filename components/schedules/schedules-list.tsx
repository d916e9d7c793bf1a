'use client';

import type { ConnectorStatus } from '@/lib/connectors/status';
import { LocalTime } from '@/components/time/local-time';
import { RelativeTime } from '@/components/time/relative-time';
import { EmptyState } from '@/components/ui/state-panels';
import { codeTag, mutedText } from '@/components/ui/styles';

/** The schedules read-only, with their upcoming runs (for roles that may not edit them). */
export function SchedulesList({ schedules }: { schedules: ConnectorStatus['schedules'] }) {
  if (schedules.length === 0) {
    return (
      <EmptyState title="No schedules" className="py-4" testId="schedules-empty">
        This connector runs only when someone starts it.
      </EmptyState>
    );
  }
  return (
    <ul className="divide-y divide-slate-100 dark:divide-slate-800">
      {schedules.map((schedule) => (
        <li key={schedule.id} data-testid="schedule-row" data-schedule-id={schedule.id} className="flex flex-wrap items-start justify-between gap-3 py-3">
          <div className="min-w-0">
            <p className="text-sm font-medium first-letter:uppercase">{schedule.description}</p>
            <p className={`mt-0.5 text-xs ${mutedText}`}>
              <span className={codeTag}>{schedule.id}</span> {schedule.type === 'cron' ? <span className="font-mono">{schedule.cron}</span> : null}
              {schedule.enabled ? null : ' · off'}
            </p>
          </div>
          <ol className="text-right text-xs tabular-nums" aria-label={`Next runs of ${schedule.id}`}>
            {schedule.nextRuns.length === 0 ? <li className={mutedText}>no upcoming runs</li> : null}
            {schedule.nextRuns.map((slot) => (
              <li key={slot}>
                <LocalTime iso={slot} format="slot" timeZone={schedule.type === 'cron' ? schedule.timezone : undefined} /> ·{' '}
                <RelativeTime iso={slot} future className={mutedText} />
              </li>
            ))}
          </ol>
        </li>
      ))}
    </ul>
  );
}
