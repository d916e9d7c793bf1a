'use client';

import Link from 'next/link';
import { card, mutedText, primaryButton, secondaryButton } from '@/components/ui/styles';

/** What a page shows when loading it failed on the server: no internals, a retry and a way out. */
export function PageError({ what, reset }: { what: string; reset: () => void }) {
  return (
    <div role="alert" data-testid="page-error" className={`${card} mx-auto max-w-lg space-y-3 px-6 py-10 text-center`}>
      <h1 className="text-lg font-semibold">Could not load {what}</h1>
      <p className={`text-sm ${mutedText}`}>The server or its database did not answer. The server log has the details.</p>
      <div className="flex justify-center gap-2">
        <button type="button" className={primaryButton} onClick={reset}>
          Try again
        </button>
        <Link href="/" className={secondaryButton}>
          Overview
        </Link>
      </div>
    </div>
  );
}
