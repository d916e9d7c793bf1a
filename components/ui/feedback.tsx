'use client';

import { useCallback, useEffect, useState } from 'react';

export interface Feedback {
  tone: 'ok' | 'warn' | 'error';
  text: string;
}

const looks: Record<Feedback['tone'], string> = {
  ok: 'text-emerald-700 dark:text-emerald-300',
  warn: 'text-amber-700 dark:text-amber-300',
  error: 'text-red-700 dark:text-red-300',
};
const icons: Record<Feedback['tone'], string> = { ok: '✓', warn: '!', error: '✕' };

/** Success notes fade after a while; errors stay until the next action. */
const OK_FOR_MS = 6000;

/** A short message about how an action went, and the setter; successes clear themselves. */
export function useFeedback() {
  const [feedback, setFeedback] = useState<Feedback | null>(null);
  useEffect(() => {
    if (feedback?.tone !== 'ok') return;
    const timer = setTimeout(() => setFeedback(null), OK_FOR_MS);
    return () => clearTimeout(timer);
  }, [feedback]);
  const say = useCallback((tone: Feedback['tone'], text: string) => setFeedback({ tone, text }), []);
  const clear = useCallback(() => setFeedback(null), []);
  return { feedback, say, clear };
}

/** The message of {@link useFeedback}, announced politely to screen readers. */
export function FeedbackText({ feedback, testId, className = '' }: { feedback: Feedback | null; testId?: string; className?: string }) {
  return (
    <p role="status" aria-live="polite" data-testid={testId} data-tone={feedback?.tone} className={`min-w-0 text-sm font-medium ${feedback ? looks[feedback.tone] : ''} ${className}`}>
      {feedback ? (
        <>
          <span aria-hidden="true">{icons[feedback.tone]} </span>
          {feedback.text}
        </>
      ) : null}
    </p>
  );
}
