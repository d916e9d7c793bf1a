'use client';

import type { Connector } from '@/lib/connectors/store';
import { card, sectionTitle } from '@/components/ui/styles';
import { PoliciesForm } from './policies-form';
import { PoliciesView } from './policies-view';

/** Overlap, gaps, timeout, missed slots and retries: a form for admins, a summary for everyone else. */
export function PoliciesSection({ connector, canEdit, onSaved }: { connector: Connector; canEdit: boolean; onSaved(connector: Connector): void }) {
  return (
    <section aria-labelledby="policies-title" className={`${card} p-5`} data-testid="policies">
      <h2 id="policies-title" className={`${sectionTitle} mb-4`}>
        Policies
      </h2>
      {canEdit ? <PoliciesForm connector={connector} onSaved={onSaved} /> : <PoliciesView policies={connector.policies} />}
    </section>
  );
}
