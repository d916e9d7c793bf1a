import { card, mutedText } from '@/components/ui/styles';

/** Shown when no connector exists yet. */
export function EmptyState({ canEdit }: { canEdit: boolean }) {
  return (
    <div data-testid="connectors-empty" className={`${card} border-dashed px-6 py-14 text-center`}>
      <p aria-hidden="true" className="text-3xl">⇄</p>
      <h2 className="mt-3 text-base font-semibold">No connectors yet</h2>
      <p className={`mx-auto mt-1 max-w-md text-sm ${mutedText}`}>
        {canEdit
          ? 'Add a connector through the API (POST /api/connectors) and it shows up here live, with its runs and schedule.'
          : 'Nothing is syncing yet. An administrator can add connectors; they show up here as soon as they exist.'}
      </p>
    </div>
  );
}
