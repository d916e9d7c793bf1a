'use client';

import { Spinner } from '@/components/ui/spinner';
import { primaryButton } from '@/components/ui/styles';
import { useRunNow, type RunFeedback, type RunNowHandlers } from './use-run-now';

const feedbackLooks: Record<RunFeedback['tone'], string> = {
  ok: 'text-emerald-700 dark:text-emerald-300',
  warn: 'text-amber-700 dark:text-amber-300',
  error: 'text-red-700 dark:text-red-300',
};

/**
 * "Run now" with its outcome beside it; disabled while the connector has a run going. `compact` (table rows)
 * makes the button smaller and puts the outcome under it.
 */
export function RunNowButton(props: { connectorId: string; connectorName: string; busy: boolean; handlers: RunNowHandlers; compact?: boolean }) {
  const { pending, feedback, runNow } = useRunNow(props.connectorId, props.handlers);
  return (
    <div className={props.compact ? 'flex min-w-0 flex-col items-start gap-1' : 'flex min-w-0 flex-wrap items-center gap-3'}>
      <button
        type="button"
        data-testid="run-now"
        className={props.compact ? `${primaryButton} px-2.5 py-1 text-xs` : primaryButton}
        disabled={props.busy || pending}
        aria-label={`Run ${props.connectorName} now`}
        onClick={() => void runNow()}
      >
        {pending ? <Spinner /> : <span aria-hidden="true">▶</span>}
        {pending ? 'Starting…' : 'Run now'}
      </button>
      <p role="status" aria-live="polite" data-testid="run-feedback" className={`min-w-0 ${props.compact ? 'text-xs' : 'text-sm'} font-medium ${feedback ? feedbackLooks[feedback.tone] : ''}`}>
        {feedback?.text}
      </p>
    </div>
  );
}
