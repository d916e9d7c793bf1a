import Link from 'next/link';
import { LiveIndicator } from '@/components/live/live-indicator';
import { focusRing, mutedText } from '@/components/ui/styles';
import { Brand } from './brand';
import { NavLinks } from './nav-links';
import { SignOutButton } from './sign-out-button';

/** The dashboard's top bar: product, sections, live connection, who is signed in, sign out. */
export function TopBar({ email, role, admin = false }: { email: string; role: string; admin?: boolean }) {
  return (
    <header className="sticky top-0 z-20 border-b border-slate-200 bg-white/85 backdrop-blur dark:border-slate-800 dark:bg-slate-950/85">
      <div className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-4 gap-y-2 px-4 py-3 sm:px-6">
        <Link href="/" className={`rounded-md ${focusRing}`} aria-label="Syncdeck home">
          <Brand />
        </Link>
        <NavLinks admin={admin} />
        <LiveIndicator />
        <div className="ml-auto flex items-center gap-3">
          <p className="hidden text-right text-sm leading-tight sm:block" data-testid="current-user">
            <span className="block font-medium">{email}</span>
            <span className={`block text-xs capitalize ${mutedText}`} data-testid="current-role">
              {role}
            </span>
          </p>
          <SignOutButton />
        </div>
      </div>
    </header>
  );
}
