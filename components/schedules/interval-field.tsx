'use client';

import { FieldMessage, invalidProps } from '@/components/forms/field-message';
import { fieldLabel, focusRing, mutedText, textInput } from '@/components/ui/styles';
import { describeEvery, type IntervalBounds } from './schedule-draft';

const STEPS = 1000;

/** Round to a step that reads well at that size: seconds, minutes, 5 minutes, hours. */
function snap(seconds: number): number {
  if (seconds < 120) return Math.round(seconds / 5) * 5 || 1;
  if (seconds < 3600) return Math.round(seconds / 60) * 60;
  if (seconds < 6 * 3600) return Math.round(seconds / 300) * 300;
  return Math.round(seconds / 3600) * 3600;
}

/** The slider moves on a log scale, so a minute and a day are both in reach. */
function toSeconds(position: number, { min, max }: IntervalBounds): number {
  if (max <= min) return min;
  return Math.min(max, Math.max(min, snap(min * (max / min) ** (position / STEPS))));
}

function toPosition(seconds: number, { min, max }: IntervalBounds): number {
  if (max <= min) return 0;
  const clamped = Math.min(max, Math.max(min, seconds));
  return Math.round((STEPS * Math.log(clamped / min)) / Math.log(max / min));
}

interface Props {
  id: string;
  value: number | '';
  bounds: IntervalBounds;
  error?: string;
  onChange(value: number | ''): void;
}

/** How often an interval schedule runs: a slider within the allowed range and an exact number of seconds. */
export function IntervalField({ id, value, bounds, error, onChange }: Props) {
  const errorId = `${id}-error`;
  const seconds = value === '' ? bounds.min : value;
  return (
    <div>
      <label htmlFor={id} className={fieldLabel}>
        Every (seconds, {bounds.min}–{bounds.max})
      </label>
      <div className="flex flex-wrap items-center gap-3">
        <input
          type="range"
          min={0}
          max={STEPS}
          value={toPosition(seconds, bounds)}
          onChange={(e) => onChange(toSeconds(Number(e.target.value), bounds))}
          aria-label="Interval"
          aria-valuetext={value === '' ? 'not set' : describeEvery(value)}
          className={`h-2 min-w-40 flex-1 cursor-pointer accent-indigo-600 dark:accent-indigo-400 ${focusRing}`}
          data-testid="interval-slider"
        />
        <input
          id={id}
          type="number"
          inputMode="numeric"
          min={bounds.min}
          max={bounds.max}
          step={1}
          value={value}
          onChange={(e) => onChange(e.target.value === '' ? '' : Math.round(Number(e.target.value)))}
          className={`${textInput} w-28 tabular-nums`}
          data-testid="interval-seconds"
          {...invalidProps(errorId, error)}
        />
        <span className={`text-sm ${mutedText}`} aria-hidden="true">
          {value === '' ? '—' : describeEvery(value)}
        </span>
      </div>
      <FieldMessage id={errorId} message={error} testId="schedule-error" />
    </div>
  );
}
