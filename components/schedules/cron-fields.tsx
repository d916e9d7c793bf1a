'use client';

import { FieldMessage, invalidProps } from '@/components/forms/field-message';
import { fieldLabel, mutedText, textInput } from '@/components/ui/styles';
import { TimeZonePicker } from './time-zone-picker';

interface Props {
  idPrefix: string;
  cron: string;
  timezone: string;
  errors: Record<string, string>;
  onChange(change: { cron?: string; timezone?: string }): void;
}

/** A cron expression (five fields) and the time zone it is read in. */
export function CronFields({ idPrefix, cron, timezone, errors, onChange }: Props) {
  const cronId = `${idPrefix}-cron`;
  const zoneId = `${idPrefix}-timezone`;
  return (
    <div className="grid gap-3 sm:grid-cols-[minmax(0,1fr)_minmax(0,1fr)]">
      <div>
        <label htmlFor={cronId} className={fieldLabel}>
          Cron expression
        </label>
        <input
          id={cronId}
          value={cron}
          onChange={(e) => onChange({ cron: e.target.value })}
          spellCheck={false}
          autoComplete="off"
          placeholder="0 6 * * 1-5"
          className={`${textInput} w-full font-mono`}
          data-testid="cron-input"
          {...invalidProps(`${cronId}-error`, errors.cron)}
        />
        <p className={`mt-1 text-[11px] ${mutedText}`}>minute · hour · day of month · month · day of week</p>
        <FieldMessage id={`${cronId}-error`} message={errors.cron} testId="schedule-error" />
      </div>
      <div>
        <label htmlFor={zoneId} className={fieldLabel}>
          Time zone
        </label>
        <TimeZonePicker id={zoneId} value={timezone} onChange={(zone) => onChange({ timezone: zone })} invalid={invalidProps(`${zoneId}-error`, errors.timezone)} />
        <FieldMessage id={`${zoneId}-error`} message={errors.timezone} testId="schedule-error" />
      </div>
    </div>
  );
}
