import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { Brand } from '@/components/layout/brand';
import { card, mutedText } from '@/components/ui/styles';
import { canUseDashboard } from '@/lib/auth/permissions';
import { getPageActor } from '@/lib/auth/session';
import { LoginForm } from './login-form';
import { safeCallbackUrl } from './safe-callback-url';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Sign in' };

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string | string[] }> }) {
  const actor = await getPageActor();
  // A wall screen's display cookie is no sign-in: it stays here rather than bouncing between / and /login.
  if (actor && canUseDashboard(actor)) redirect('/');
  const { callbackUrl } = await searchParams;
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
          <LoginForm callbackUrl={safeCallbackUrl(callbackUrl)} />
        </section>
      </div>
    </main>
  );
}
