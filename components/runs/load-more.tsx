'use client';

import { Spinner } from '@/components/ui/spinner';
import { secondaryButton } from '@/components/ui/styles';

/** "Load more" under a list, with its own busy and error state. */
export function LoadMore({ hasMore, busy, error, onClick, label = 'Load more' }: { hasMore: boolean; busy: boolean; error: string | null; onClick(): void; label?: string }) {
  if (!hasMore) return null;
  return (
    <div className="flex flex-wrap items-center justify-center gap-3 border-t border-slate-100 px-4 py-3 dark:border-slate-800">
      <button type="button" className={`${secondaryButton} px-3 py-1.5`} onClick={onClick} disabled={busy} data-testid="runs-load-more">
        {busy ? <Spinner className="size-3.5" /> : null}
        {busy ? 'Loading…' : label}
      </button>
      {error ? (
        <p role="alert" className="text-sm text-red-700 dark:text-red-300">
          {error}
        </p>
      ) : null}
    </div>
  );
}
