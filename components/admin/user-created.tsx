'use client';

import type { User } from '@/lib/users/users';
import { ghostButton } from '@/components/ui/styles';
import { CopyField } from './token-secret';

/** A user just created, with the first password shown this once so the admin can hand it over. */
export function UserCreated({ user, password, onDone }: { user: User; password: string; onDone(): void }) {
  return (
    <section
      aria-labelledby="user-created-title"
      data-testid="user-created"
      className="space-y-3 rounded-xl border border-emerald-300 bg-emerald-50 p-4 dark:border-emerald-800 dark:bg-emerald-950/40"
    >
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div>
          <h2 id="user-created-title" className="text-sm font-semibold text-emerald-950 dark:text-emerald-100">
            Created {user.email} as {user.role}
          </h2>
          <p className="text-sm text-emerald-900 dark:text-emerald-200">Hand the first password over safely; it is not shown again. They can be given a new one with Reset password.</p>
        </div>
        <button type="button" className={ghostButton} onClick={onDone} data-testid="user-created-done">
          Done
        </button>
      </div>
      <CopyField label="First password" value={password} testId="user-created-password" />
    </section>
  );
}
