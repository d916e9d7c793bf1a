import Link from 'next/link';
import { card, mutedText, primaryButton } from '@/components/ui/styles';

/** Shown in place of the page when the connector is deleted while someone looks at it. */
export function DeletedNotice({ name }: { name: string }) {
  return (
    <div role="alert" data-testid="connector-deleted" className={`${card} mx-auto max-w-lg space-y-3 px-6 py-10 text-center`}>
      <h1 className="text-lg font-semibold">{name} was deleted</h1>
      <p className={`text-sm ${mutedText}`}>Someone removed this connector. Its runs stay in the run history until retention clears them.</p>
      <Link href="/" className={primaryButton}>
        Back to the overview
      </Link>
    </div>
  );
}
