'use client';

import type { ConnectorStatus } from '@/lib/connectors/status';
import type { Connector } from '@/lib/connectors/store';
import { card, mutedText, sectionTitle } from '@/components/ui/styles';
import type { IntervalBounds } from './schedule-draft';
import { SchedulesEditor } from './schedules-editor';
import { SchedulesList } from './schedules-list';

interface Props {
  connector: Connector;
  status: ConnectorStatus;
  canEdit: boolean;
  bounds: IntervalBounds;
  onSaved(connector: Connector): void;
}

/** When the connector runs by itself: an editor for admins, a list with next runs for everyone else. */
export function SchedulesSection({ connector, status, canEdit, bounds, onSaved }: Props) {
  return (
    <section aria-labelledby="schedules-title" className={`${card} p-5`} data-testid="schedules">
      <div className="mb-4 flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="schedules-title" className={sectionTitle}>
          Schedules
        </h2>
        {!connector.enabled ? <p className="text-xs font-medium text-amber-700 dark:text-amber-300">Scheduled runs are off: no schedule starts a run.</p> : null}
        {!canEdit ? <p className={`text-xs ${mutedText}`}>Only administrators can change schedules.</p> : null}
      </div>
      {canEdit ? <SchedulesEditor connector={connector} bounds={bounds} onSaved={onSaved} /> : <SchedulesList schedules={status.schedules} />}
    </section>
  );
}
