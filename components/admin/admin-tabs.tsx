'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { focusRing } from '@/components/ui/styles';

const tabs = [
  { href: '/admin/users', label: 'Users', testId: 'admin-tab-users' },
  { href: '/admin/tokens', label: 'API & display tokens', testId: 'admin-tab-tokens' },
  { href: '/admin/audit', label: 'Audit log', testId: 'admin-tab-audit' },
];

/** The administration sections, as a row of tabs under the page title. */
export function AdminTabs() {
  const path = usePathname() ?? '';
  return (
    <nav aria-label="Administration" className="border-b border-slate-200 dark:border-slate-800">
      <ul className="-mb-px flex flex-wrap gap-1">
        {tabs.map((tab) => {
          const current = path.startsWith(tab.href);
          return (
            <li key={tab.href}>
              <Link
                href={tab.href}
                data-testid={tab.testId}
                aria-current={current ? 'page' : undefined}
                className={`inline-block rounded-t-md border-b-2 px-3 py-2 text-sm font-medium transition-colors ${focusRing} ${
                  current
                    ? 'border-indigo-600 text-indigo-700 dark:border-indigo-400 dark:text-indigo-300'
                    : 'border-transparent text-slate-600 hover:border-slate-300 hover:text-slate-900 dark:text-slate-400 dark:hover:border-slate-600 dark:hover:text-white'
                }`}
              >
                {tab.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
