import type { ReactNode } from 'react';
import { Spinner } from '@/components/ui/spinner';
import { card, mutedText, sectionTitle } from '@/components/ui/styles';
import { chartVars } from './chart-theme';

export type ChartState = 'loading' | 'error' | 'empty' | 'ready';

interface Props {
  title: string;
  /** One line that says what the chart shows in numbers (also the chart's text alternative). */
  summary?: string;
  state: ChartState;
  emptyText?: string;
  testId: string;
  children: ReactNode;
  className?: string;
}

/** A titled card around one chart, with its loading, error and empty states and the chart colours. */
export function ChartFrame({ title, summary, state, emptyText = 'No finished runs in this period.', testId, children, className = '' }: Props) {
  return (
    <figure data-testid={testId} data-state={state} className={`${card} ${chartVars} flex min-w-0 flex-col gap-3 p-4 ${className}`}>
      <figcaption>
        <h3 className={sectionTitle}>{title}</h3>
        {summary && state === 'ready' ? <p className={`text-xs ${mutedText}`}>{summary}</p> : null}
      </figcaption>
      <div className="relative min-h-48 flex-1">
        {state === 'ready' ? children : null}
        {state === 'loading' ? (
          <p className={`absolute inset-0 flex items-center justify-center gap-2 text-sm ${mutedText}`} role="status">
            <Spinner /> Loading…
          </p>
        ) : null}
        {state === 'empty' ? <p className={`absolute inset-0 flex items-center justify-center text-sm ${mutedText}`}>{emptyText}</p> : null}
        {state === 'error' ? <p className="absolute inset-0 flex items-center justify-center text-sm text-red-700 dark:text-red-300">Could not load the figures.</p> : null}
      </div>
    </figure>
  );
}
