'use client';

import { useEffect, useState } from 'react';
import type { ApiToken } from '@/lib/auth/tokens';
import { ghostButton, mutedText, secondaryButton } from '@/components/ui/styles';

/** The wall screen's address for a display token; `/wall` signs the screen in with it. */
export const wallLink = (origin: string, token: string) => `${origin}/wall?token=${encodeURIComponent(token)}`;

/** A value to copy once, with a Copy button that says whether it worked. */
export function CopyField({ label, value, testId }: { label: string; value: string; testId: string }) {
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(null), 3000);
    return () => clearTimeout(timer);
  }, [copied]);
  return (
    <div>
      <p className="mb-1 text-xs font-medium text-emerald-900 dark:text-emerald-200">{label}</p>
      <div className="flex flex-wrap items-center gap-2">
        <code
          data-testid={testId}
          className="min-w-0 flex-1 rounded-md border border-emerald-300 bg-white px-3 py-2 font-mono text-sm break-all text-slate-900 select-all dark:border-emerald-800 dark:bg-slate-950 dark:text-slate-100"
        >
          {value}
        </code>
        <button
          type="button"
          className={secondaryButton}
          data-testid={`${testId}-copy`}
          onClick={() =>
            navigator.clipboard.writeText(value).then(
              () => setCopied('yes'),
              () => setCopied('failed'),
            )
          }
        >
          {copied === 'yes' ? '✓ Copied' : 'Copy'}
        </button>
        <span role="status" className="sr-only">
          {copied === 'yes' ? `${label} copied` : copied === 'failed' ? 'Copying failed: select the text and copy it' : ''}
        </span>
      </div>
    </div>
  );
}

/** A token just created: shown this once, with a copy button, and for display tokens the wall screen link. */
export function TokenSecret({ token, record, origin, onDone }: { token: string; record: ApiToken; origin: string; onDone(): void }) {
  return (
    <section
      aria-labelledby="token-secret-title"
      data-testid="token-secret"
      className="space-y-3 rounded-xl border border-emerald-300 bg-emerald-50 p-4 dark:border-emerald-800 dark:bg-emerald-950/40"
    >
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div>
          <h2 id="token-secret-title" className="text-sm font-semibold text-emerald-950 dark:text-emerald-100">
            Token “{record.name}” created: copy it now
          </h2>
          <p className="text-sm text-emerald-900 dark:text-emerald-200">
            It is shown only this once; Syncdeck keeps only a hash of it. If it is lost, revoke it and create another.
          </p>
        </div>
        <button type="button" className={ghostButton} onClick={onDone} data-testid="token-secret-done">
          I have copied it
        </button>
      </div>
      <CopyField label="Token" value={token} testId="token-value" />
      {record.role === 'display' ? (
        <>
          <CopyField label="Wall screen link (opens the wall without a login)" value={wallLink(origin, token)} testId="token-wall-link" />
          <p className={`text-xs ${mutedText}`}>Anyone with this link sees the wall screen, read-only, until the token is revoked.</p>
        </>
      ) : (
        <p className={`text-xs ${mutedText}`}>
          Send it as <code className="font-mono">Authorization: Bearer &lt;token&gt;</code>.
        </p>
      )}
    </section>
  );
}
