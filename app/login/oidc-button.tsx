'use client';

import { signIn } from 'next-auth/react';
import { useState } from 'react';
import { Spinner } from '@/components/ui/spinner';
import { secondaryButton } from '@/components/ui/styles';

/** "Sign in with <provider>": hands over to the OpenID Connect provider, which sends the browser back signed in. */
export function OidcButton({ name, callbackUrl }: { name: string; callbackUrl: string }) {
  const [pending, setPending] = useState(false);
  return (
    <button
      type="button"
      data-testid="login-oidc"
      disabled={pending}
      aria-busy={pending}
      onClick={() => {
        setPending(true);
        void signIn('oidc', { callbackUrl });
      }}
      className={`${secondaryButton} w-full py-2.5`}
    >
      {pending ? <Spinner /> : null}
      Sign in with {name}
    </button>
  );
}
