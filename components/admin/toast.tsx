'use client';

import type { Feedback } from '@/components/ui/feedback';
import { FeedbackText } from '@/components/ui/feedback';

/**
 * How an admin action went, floating at the bottom of the screen so it is seen wherever the action was taken.
 * The message itself is a polite live region; successes fade on their own, errors stay until dismissed.
 */
export function Toast({ feedback, onDismiss }: { feedback: Feedback | null; onDismiss(): void }) {
  return (
    <div className="pointer-events-none fixed inset-x-0 bottom-4 z-30 flex justify-center px-4">
      <div
        data-testid="admin-toast"
        data-tone={feedback?.tone}
        className={`pointer-events-auto flex max-w-xl items-center gap-3 rounded-lg border border-slate-200 bg-white px-4 py-2.5 shadow-lg dark:border-slate-700 dark:bg-slate-900 ${feedback ? '' : 'sr-only'}`}
      >
        <FeedbackText feedback={feedback} />
        {feedback ? (
          <button
            type="button"
            onClick={onDismiss}
            aria-label="Dismiss message"
            className="rounded px-1 text-slate-400 hover:text-slate-700 focus-visible:outline-2 focus-visible:outline-indigo-500 dark:hover:text-slate-200"
          >
            ✕
          </button>
        ) : null}
      </div>
    </div>
  );
}
