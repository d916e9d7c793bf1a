'use client';

import { Spinner } from './spinner';
import { focusRing } from './styles';

interface Props {
  checked: boolean;
  label: string;
  onChange(checked: boolean): void;
  disabled?: boolean;
  busy?: boolean;
  testId?: string;
  /** Hide the visible label (it stays the accessible name). */
  hideLabel?: boolean;
}

/** An on/off switch (role="switch"): Space or Enter toggles it. */
export function Switch({ checked, label, onChange, disabled, busy, testId, hideLabel }: Props) {
  return (
    <button
      type="button"
      role="switch"
      aria-checked={checked}
      aria-busy={busy || undefined}
      data-testid={testId}
      data-checked={checked}
      disabled={disabled || busy}
      onClick={() => onChange(!checked)}
      className={`group inline-flex items-center gap-2 rounded-full text-sm font-medium disabled:cursor-not-allowed disabled:opacity-60 ${focusRing}`}
    >
      <span
        aria-hidden="true"
        className={`relative inline-flex h-5 w-9 shrink-0 items-center rounded-full transition-colors ${checked ? 'bg-indigo-600 dark:bg-indigo-500' : 'bg-slate-300 dark:bg-slate-700'}`}
      >
        <span className={`inline-flex size-4 items-center justify-center rounded-full bg-white shadow transition-transform ${checked ? 'translate-x-4.5' : 'translate-x-0.5'}`}>
          {busy ? <Spinner className="size-3 text-slate-500" /> : null}
        </span>
      </span>
      <span className={hideLabel ? 'sr-only' : undefined}>{label}</span>
    </button>
  );
}
