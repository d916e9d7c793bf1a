'use client';

import { signOut } from 'next-auth/react';
import { useState } from 'react';
import { Spinner } from '@/components/ui/spinner';
import { secondaryButton } from '@/components/ui/styles';

/** Ends the session and returns to the login page. */
export function SignOutButton() {
  const [pending, setPending] = useState(false);
  return (
    <button
      type="button"
      data-testid="sign-out"
      className={`${secondaryButton} px-3 py-1.5`}
      disabled={pending}
      onClick={() => {
        setPending(true);
        void signOut({ callbackUrl: '/login' }).catch(() => setPending(false));
      }}
    >
      {pending ? <Spinner className="size-3.5" /> : null}
      Sign out
    </button>
  );
}
