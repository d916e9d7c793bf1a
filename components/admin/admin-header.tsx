import type { ReactNode } from 'react';
import { mutedText } from '@/components/ui/styles';
import { AdminTabs } from './admin-tabs';

/** Title, one line of explanation and the section tabs, the same on every admin page. */
export function AdminHeader({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="space-y-4">
      <div>
        <p className={`text-xs font-semibold tracking-wide uppercase ${mutedText}`}>Administration</p>
        <h1 className="text-2xl font-semibold tracking-tight">{title}</h1>
        <p className={`mt-1 text-sm ${mutedText}`}>{children}</p>
      </div>
      <AdminTabs />
    </div>
  );
}
