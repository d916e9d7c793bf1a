'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { focusRing } from '@/components/ui/styles';

const links = [
  { href: '/', label: 'Overview', testId: 'nav-overview', current: (path: string) => path === '/' || path.startsWith('/connectors') },
  { href: '/runs', label: 'Runs', testId: 'nav-runs', current: (path: string) => path.startsWith('/runs') },
  { href: '/wall', label: 'Wall', testId: 'nav-wall', current: () => false },
];
/** Shown to administrators only; the admin pages refuse everyone else on the server as well. */
const adminLink = { href: '/admin/users', label: 'Admin', testId: 'nav-admin', current: (path: string) => path.startsWith('/admin') };

/** The dashboard's sections; the current one is marked for sighted and screen-reader users alike. */
export function NavLinks({ admin = false }: { admin?: boolean }) {
  const path = usePathname() ?? '/';
  return (
    <nav aria-label="Main">
      <ul className="flex items-center gap-1">
        {(admin ? [...links, adminLink] : links).map((link) => {
          const current = link.current(path);
          return (
            <li key={link.href}>
              <Link
                href={link.href}
                data-testid={link.testId}
                aria-current={current ? 'page' : undefined}
                className={`rounded-md px-2.5 py-1.5 text-sm font-medium transition-colors ${focusRing} ${
                  current
                    ? 'bg-slate-100 text-slate-900 dark:bg-slate-800 dark:text-white'
                    : 'text-slate-600 hover:bg-slate-100 hover:text-slate-900 dark:text-slate-400 dark:hover:bg-slate-800 dark:hover:text-white'
                }`}
              >
                {link.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
