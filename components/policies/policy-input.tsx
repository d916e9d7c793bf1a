'use client';

import { FieldMessage, invalidProps } from '@/components/forms/field-message';
import { formatSeconds } from '@/components/time/format';
import { fieldLabel, mutedText, textInput } from '@/components/ui/styles';
import type { PolicyField } from './policy-fields';

interface Props {
  field: PolicyField;
  value: string;
  error?: string;
  onChange(value: string): void;
}

/** One policy: a select for choices, a number with its meaning in words for seconds and counts. */
export function PolicyInput({ field, value, error, onChange }: Props) {
  const id = `policy-${field.key}`;
  const errorId = `${id}-error`;
  const seconds = !('choices' in field) && field.unit === 'seconds' && value !== '' && Number.isFinite(Number(value)) ? formatSeconds(Number(value)) : null;
  return (
    <div>
      <label htmlFor={id} className={fieldLabel}>
        {field.label}
        {!('choices' in field) ? <span className="font-normal"> ({field.unit})</span> : null}
      </label>
      {'choices' in field ? (
        <select id={id} value={value} onChange={(e) => onChange(e.target.value)} className={`${textInput} w-full`} data-testid={id} {...invalidProps(errorId, error)}>
          {field.choices.map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
        </select>
      ) : (
        <div className="flex items-center gap-2">
          <input
            id={id}
            type="number"
            inputMode="numeric"
            min={0}
            step={1}
            value={value}
            onChange={(e) => onChange(e.target.value)}
            className={`${textInput} w-32 tabular-nums`}
            data-testid={id}
            {...invalidProps(errorId, error)}
          />
          {seconds ? <span className={`text-xs ${mutedText}`}>{seconds}</span> : null}
        </div>
      )}
      <p className={`mt-1 text-[11px] ${mutedText}`}>{field.help}</p>
      <FieldMessage id={errorId} message={error} testId="policy-error" />
    </div>
  );
}
