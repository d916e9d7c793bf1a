'use client';

import { signIn } from 'next-auth/react';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { Spinner } from '@/components/ui/spinner';
import { focusRing, primaryButton } from '@/components/ui/styles';
import { retryAfterOfSignInError, SERVER_BUSY_ERROR, SERVER_BUSY_MESSAGE, tooManyAttemptsMessage } from '@/lib/auth/sign-in-refusal';

const input = `block w-full rounded-lg border border-slate-300 bg-white px-3 py-2 text-sm shadow-xs placeholder:text-slate-400 dark:border-slate-700 dark:bg-slate-950 ${focusRing}`;
const label = 'mb-1.5 block text-sm font-medium';

/** Email and password sign-in through next-auth; goes to `callbackUrl` (already checked to be same-origin). */
export function LoginForm({ callbackUrl }: { callbackUrl: string }) {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    try {
      const result = await signIn('credentials', { email: String(form.get('email') ?? ''), password: String(form.get('password') ?? ''), redirect: false });
      if (result?.ok && !result.error) {
        router.replace(callbackUrl);
        return;
      }
      const retryAfterS = retryAfterOfSignInError(result?.error);
      if (retryAfterS !== null) setError(tooManyAttemptsMessage(retryAfterS));
      else if (result?.error === 'CredentialsSignin') setError('Email or password is wrong');
      else if (result?.error === SERVER_BUSY_ERROR) setError(SERVER_BUSY_MESSAGE);
      else setError('Sign-in failed: the server could not check your password. Try again.');
    } catch {
      setError('Sign-in failed: the server cannot be reached. Try again.');
    }
    setPending(false);
  }

  return (
    <form onSubmit={(e) => void onSubmit(e)} className="space-y-5" aria-describedby={error ? 'login-error' : undefined}>
      <div>
        <label htmlFor="email" className={label}>
          Email
        </label>
        <input id="email" name="email" type="email" autoComplete="username" required autoFocus data-testid="login-email" className={input} aria-invalid={error ? true : undefined} />
      </div>
      <div>
        <label htmlFor="password" className={label}>
          Password
        </label>
        <input id="password" name="password" type="password" autoComplete="current-password" required data-testid="login-password" className={input} aria-invalid={error ? true : undefined} />
      </div>
      {error ? (
        <p id="login-error" role="alert" data-testid="login-error" className="flex items-start gap-2 rounded-lg border border-red-200 bg-red-50 px-3 py-2 text-sm font-medium text-red-800 dark:border-red-900 dark:bg-red-950/60 dark:text-red-200">
          <span aria-hidden="true">✕</span>
          {error}
        </p>
      ) : null}
      <button type="submit" data-testid="login-submit" disabled={pending} aria-busy={pending} className={`${primaryButton} w-full py-2.5`}>
        {pending ? <Spinner /> : null}
        {pending ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}
