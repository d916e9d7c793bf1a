'use client';

import type { ScheduleDraft } from './schedule-draft';

const options: Array<{ value: ScheduleDraft['type']; label: string }> = [
  { value: 'interval', label: 'Interval' },
  { value: 'cron', label: 'Cron' },
];

/** Interval or cron, as a pair of radio buttons (arrow keys move between them). */
export function TypeToggle({ name, value, onChange }: { name: string; value: ScheduleDraft['type']; onChange(type: ScheduleDraft['type']): void }) {
  return (
    <fieldset className="inline-flex rounded-lg border border-slate-300 p-0.5 dark:border-slate-700">
      <legend className="sr-only">Schedule type</legend>
      {options.map((option) => (
        <label
          key={option.value}
          className="cursor-pointer rounded-md px-2.5 py-1 text-xs font-semibold text-slate-600 has-checked:bg-indigo-600 has-checked:text-white has-focus-visible:outline-2 has-focus-visible:outline-indigo-500 dark:text-slate-300 dark:has-checked:bg-indigo-500"
        >
          <input type="radio" name={name} value={option.value} checked={value === option.value} onChange={() => onChange(option.value)} className="sr-only" data-testid={`type-${option.value}`} />
          {option.label}
        </label>
      ))}
    </fieldset>
  );
}
