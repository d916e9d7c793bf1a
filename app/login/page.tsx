import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { Brand } from '@/components/layout/brand';
import { card, mutedText } from '@/components/ui/styles';
import { canUseDashboard } from '@/lib/auth/permissions';
import { getPageActor } from '@/lib/auth/session';
import { retryAfterOfSignInError, tooManyAttemptsMessage } from '@/lib/auth/sign-in-refusal';
import { getRuntime } from '@/lib/runtime';
import { LoginForm } from './login-form';
import { OidcButton } from './oidc-button';
import { safeCallbackUrl } from './safe-callback-url';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Sign in' };

/** next-auth's error codes, as the login page explains them. */
const errorText: Record<string, string> = {
  AccessDenied: 'Sign-in refused: your account is disabled, or the identity provider sent no verified email.',
  OAuthSignin: 'Sign-in through the identity provider could not start. Try again, or ask an administrator.',
  OAuthCallback: 'Sign-in through the identity provider failed. Try again, or ask an administrator.',
};

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string | string[]; error?: string | string[] }> }) {
  const actor = await getPageActor();
  // A wall screen's display cookie is no sign-in: it stays here rather than bouncing between / and /login.
  if (actor && canUseDashboard(actor)) redirect('/');
  const { callbackUrl, error } = await searchParams;
  const oidc = getRuntime().config.oidc;
  const retryAfterS = typeof error === 'string' ? retryAfterOfSignInError(error) : null;
  const problem = retryAfterS !== null ? tooManyAttemptsMessage(retryAfterS) : typeof error === 'string' ? (errorText[error] ?? 'Sign-in failed. Try again.') : null;
  const target = safeCallbackUrl(callbackUrl);
  return (
    <main className="flex min-h-screen items-center justify-center px-4 py-12">
      <div className="w-full max-w-sm space-y-8">
        <div className="text-center">
          <Brand size="lg" />
          <p className={`mt-3 text-sm ${mutedText}`}>Every scheduled data sync, live in one control room.</p>
        </div>
        <section aria-labelledby="login-title" className={`${card} p-6 sm:p-8`}>
          <h1 id="login-title" className="mb-6 text-lg font-semibold">
            Sign in
          </h1>
          {problem ? (
            <p role="alert" data-testid="login-provider-error" className="mb-5 rounded-lg border border-red-200 bg-red-50 px-3 py-2 text-sm font-medium text-red-800 dark:border-red-900 dark:bg-red-950/60 dark:text-red-200">
              {problem}
            </p>
          ) : null}
          <LoginForm callbackUrl={target} />
          {oidc ? (
            <div className="mt-6 space-y-4">
              <p className={`flex items-center gap-3 text-xs ${mutedText} before:h-px before:flex-1 before:bg-slate-200 after:h-px after:flex-1 after:bg-slate-200 dark:before:bg-slate-800 dark:after:bg-slate-800`}>or</p>
              <OidcButton name={oidc.name} callbackUrl={target} />
            </div>
          ) : null}
        </section>
      </div>
    </main>
  );
}
