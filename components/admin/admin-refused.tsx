import Link from 'next/link';
import { card, mutedText, primaryButton } from '@/components/ui/styles';

/** What a signed-in user without the admin role sees on an admin page: no data, a plain reason, a way back. */
export function AdminRefused({ role }: { role: string }) {
  return (
    <div role="alert" data-testid="admin-refused" className={`${card} mx-auto max-w-lg space-y-3 px-6 py-10 text-center`}>
      <h1 className="text-lg font-semibold">Administrators only</h1>
      <p className={`text-sm ${mutedText}`}>
        Your role (<span className="font-medium capitalize">{role}</span>) cannot manage users, tokens or read the audit log. Ask an
        administrator if you need access.
      </p>
      <div className="flex justify-center">
        <Link href="/" className={primaryButton}>
          Back to the overview
        </Link>
      </div>
    </div>
  );
}
