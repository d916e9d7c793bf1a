'use client';

import { FieldMessage, invalidProps } from '@/components/forms/field-message';
import { Switch } from '@/components/ui/switch';
import { fieldLabel, ghostButton, textInput } from '@/components/ui/styles';
import { CronFields } from './cron-fields';
import { IntervalField } from './interval-field';
import { toBody, type IntervalBounds, type ScheduleDraft } from './schedule-draft';
import { SchedulePreview } from './schedule-preview';
import { TypeToggle } from './type-toggle';
import { useSchedulePreview } from './use-schedule-preview';

interface Props {
  draft: ScheduleDraft;
  bounds: IntervalBounds;
  /** Errors of this schedule by field (`cron`, `everySeconds`, …; "" for the schedule as a whole). */
  errors: Record<string, string>;
  onChange(change: Partial<ScheduleDraft>): void;
  onRemove(): void;
}

const shownFields = new Set(['id', 'cron', 'timezone', 'everySeconds']);

/** One schedule in the editor: its id, type, on/off, timing fields and a preview of its next runs. */
export function ScheduleRow({ draft, bounds, errors, onChange, onRemove }: Props) {
  const preview = useSchedulePreview(toBody(draft));
  const prefix = `schedule-${draft.key}`;
  const other = Object.entries(errors)
    .filter(([path]) => !shownFields.has(path))
    .map(([path, message]) => (path ? `${path} ${message}` : message));
  return (
    <li data-testid="schedule-row" data-schedule-id={draft.id} className="space-y-4 rounded-lg border border-slate-200 p-4 dark:border-slate-700">
      <div className="flex flex-wrap items-end gap-x-4 gap-y-3">
        <div className="w-48">
          <label htmlFor={`${prefix}-id`} className={fieldLabel}>
            Schedule id
          </label>
          <input
            id={`${prefix}-id`}
            value={draft.id}
            onChange={(e) => onChange({ id: e.target.value })}
            className={`${textInput} w-full font-mono`}
            spellCheck={false}
            autoComplete="off"
            data-testid="schedule-id"
            {...invalidProps(`${prefix}-id-error`, errors.id)}
          />
        </div>
        <TypeToggle name={`${prefix}-type`} value={draft.type} onChange={(type) => onChange({ type })} />
        <div className="pb-1">
          <Switch checked={draft.enabled} label="Enabled" onChange={(enabled) => onChange({ enabled })} testId="schedule-enabled" />
        </div>
        <button type="button" className={`${ghostButton} ml-auto text-red-700 dark:text-red-300`} onClick={onRemove} aria-label={`Remove schedule ${draft.id}`} data-testid="schedule-remove">
          Remove
        </button>
      </div>
      <FieldMessage id={`${prefix}-id-error`} message={errors.id} testId="schedule-error" />
      {draft.type === 'interval' ? (
        <IntervalField id={`${prefix}-every`} value={draft.everySeconds} bounds={bounds} error={errors.everySeconds} onChange={(everySeconds) => onChange({ everySeconds })} />
      ) : (
        <CronFields idPrefix={prefix} cron={draft.cron} timezone={draft.timezone} errors={errors} onChange={onChange} />
      )}
      {other.length ? <FieldMessage id={`${prefix}-other-error`} message={other.join('; ')} testId="schedule-error" /> : null}
      <div className="rounded-md bg-slate-50 px-3 py-2 dark:bg-slate-950/50">
        <SchedulePreview preview={preview} timeZone={draft.type === 'cron' ? draft.timezone : undefined} />
      </div>
    </li>
  );
}
