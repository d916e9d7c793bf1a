'use client';

import { useId, useState } from 'react';
import { FieldMessage, invalidProps } from '@/components/forms/field-message';
import { fieldLabel, ghostButton, textInput } from '@/components/ui/styles';

const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';

/** A random 20-character password from the browser's cryptographic generator (no look-alike characters). */
export function generatePassword(length = 20): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length * 2));
  let out = '';
  // Rejection sampling keeps every character equally likely.
  for (const byte of bytes) {
    if (byte < 256 - (256 % ALPHABET.length)) out += ALPHABET[byte % ALPHABET.length];
    if (out.length === length) break;
  }
  return out.length === length ? out : generatePassword(length);
}

interface Props {
  value: string;
  onChange(value: string): void;
  error?: string;
  label?: string;
  testId: string;
}

/** A password input with Generate and Show, for passwords an admin sets on someone's behalf. */
export function PasswordField({ value, onChange, error, label = 'Password', testId }: Props) {
  const id = useId();
  const [shown, setShown] = useState(false);
  return (
    <div>
      <label htmlFor={id} className={fieldLabel}>
        {label} <span className="font-normal">(at least 12 characters)</span>
      </label>
      <div className="flex items-center gap-1">
        <input
          id={id}
          type={shown ? 'text' : 'password'}
          autoComplete="new-password"
          className={`${textInput} w-full font-mono`}
          value={value}
          onChange={(e) => onChange(e.target.value)}
          data-testid={testId}
          {...invalidProps(`${id}-error`, error)}
        />
        <button type="button" className={ghostButton} onClick={() => setShown(!shown)} aria-pressed={shown} data-testid={`${testId}-show`}>
          {shown ? 'Hide' : 'Show'}
        </button>
        <button
          type="button"
          className={ghostButton}
          onClick={() => {
            onChange(generatePassword());
            setShown(true);
          }}
          data-testid={`${testId}-generate`}
        >
          Generate
        </button>
      </div>
      <FieldMessage id={`${id}-error`} message={error} />
    </div>
  );
}
