import Link from 'next/link';
import { card, mutedText, primaryButton } from '@/components/ui/styles';

/** A friendly 404 inside the dashboard, for an unknown connector or run. */
export function NotFoundNotice({ what, hint, back = { href: '/', label: 'Back to the overview' } }: { what: string; hint: string; back?: { href: string; label: string } }) {
  return (
    <div data-testid="not-found" className={`${card} mx-auto max-w-lg space-y-3 px-6 py-10 text-center`}>
      <p aria-hidden="true" className="text-3xl">
        ?
      </p>
      <h1 className="text-lg font-semibold">No such {what}</h1>
      <p className={`text-sm ${mutedText}`}>{hint}</p>
      <Link href={back.href} className={primaryButton}>
        {back.label}
      </Link>
    </div>
  );
}
