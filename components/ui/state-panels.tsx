import type { ReactNode } from 'react';
import { Spinner } from './spinner';
import { mutedText, secondaryButton } from './styles';

/** "Loading …" with a spinner, announced to screen readers. */
export function LoadingState({ label, testId, className = 'py-10' }: { label: string; testId?: string; className?: string }) {
  return (
    <div role="status" data-testid={testId} className={`flex items-center justify-center gap-2 text-sm ${mutedText} ${className}`}>
      <Spinner />
      {label}
    </div>
  );
}

/** Nothing to show yet, and what would make something appear. */
export function EmptyState({ title, children, testId, className = 'py-10' }: { title: string; children?: ReactNode; testId?: string; className?: string }) {
  return (
    <div data-testid={testId} className={`px-4 text-center ${className}`}>
      <p className="text-sm font-semibold">{title}</p>
      {children ? <p className={`mx-auto mt-1 max-w-md text-sm ${mutedText}`}>{children}</p> : null}
    </div>
  );
}

/** A failed load, with the reason and a way to try again. */
export function ErrorState({ title, message, onRetry, testId, className = '' }: { title: string; message: string; onRetry?: () => void; testId?: string; className?: string }) {
  return (
    <div
      role="alert"
      data-testid={testId}
      className={`flex flex-wrap items-center justify-between gap-3 rounded-lg border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-900 dark:border-red-900 dark:bg-red-950/50 dark:text-red-100 ${className}`}
    >
      <p>
        <span className="font-semibold">{title}</span> {message}
      </p>
      {onRetry ? (
        <button type="button" className={`${secondaryButton} px-3 py-1`} onClick={onRetry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}
