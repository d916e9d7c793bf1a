'use client';

import { useState } from 'react';
import type { ApiToken } from '@/lib/auth/tokens';
import { errorMessage, requestJson } from '@/components/api/fetch-json';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { useFeedback } from '@/components/ui/feedback';
import { EmptyState, ErrorState, LoadingState } from '@/components/ui/state-panels';
import { card } from '@/components/ui/styles';
import { AdminHeader } from './admin-header';
import { Toast } from './toast';
import { TokenCreateForm } from './token-create-form';
import { TokenSecret } from './token-secret';
import { TokensTable } from './tokens-table';
import { useResource } from './use-resource';

/** API tokens for scripts and display tokens for the wall: create (shown once), see when they were used, revoke. */
export function TokensPage() {
  const { resource, retry, update } = useResource<{ tokens: ApiToken[] }>('/api/tokens', 'tokens');
  const { feedback, say, clear } = useFeedback();
  const [fresh, setFresh] = useState<{ token: string; record: ApiToken } | null>(null);
  const [revoking, setRevoking] = useState<ApiToken | null>(null);
  const [busyId, setBusyId] = useState<string | null>(null);

  async function revoke(token: ApiToken) {
    setRevoking(null);
    setBusyId(token.id);
    try {
      const updated = await requestJson<ApiToken>(`/api/tokens/${encodeURIComponent(token.id)}`, { method: 'DELETE' });
      update((data) => ({ tokens: data.tokens.map((t) => (t.id === updated.id ? updated : t)) }));
      if (fresh?.record.id === token.id) setFresh(null);
      say('ok', `Token “${token.name}” is revoked; requests with it are refused from now on`);
    } catch (error) {
      say('error', errorMessage(error, `Could not revoke “${token.name}”`));
    } finally {
      setBusyId(null);
    }
  }

  let body;
  if (resource.state === 'loading') body = <LoadingState label="Loading tokens…" testId="tokens-loading" />;
  else if (resource.state === 'error') body = <ErrorState title="Could not load tokens." message={resource.message} onRetry={retry} testId="tokens-error" className="m-4" />;
  else if (resource.data.tokens.length === 0)
    body = (
      <EmptyState title="No tokens yet" testId="tokens-empty">
        Create a display token for the wall screen, or an API token for a script.
      </EmptyState>
    );
  else body = <TokensTable tokens={resource.data.tokens} busyId={busyId} onRevoke={setRevoking} />;

  return (
    <div className="space-y-6" data-testid="tokens-page">
      <AdminHeader title="API & display tokens">Tokens let scripts call the API and the wall screen show the dashboard without a login. Revoke one and it stops working at once.</AdminHeader>
      {fresh ? <TokenSecret token={fresh.token} record={fresh.record} origin={window.location.origin} onDone={() => setFresh(null)} /> : null}
      <TokenCreateForm
        onCreated={({ token, ...record }) => {
          setFresh({ token, record });
          update((data) => ({ tokens: [record, ...data.tokens] }));
          say('ok', `Created ${record.role} token “${record.name}”`);
        }}
        onError={(message) => say('error', message)}
      />
      <section className={card} aria-label="Tokens">
        {body}
      </section>
      <ConfirmDialog
        open={revoking !== null}
        title={`Revoke “${revoking?.name ?? ''}”?`}
        confirmLabel="Revoke"
        testId="confirm-revoke"
        onCancel={() => setRevoking(null)}
        onConfirm={() => revoking && void revoke(revoking)}
      >
        {revoking?.role === 'display' ? 'Wall screens using it lose access at once.' : 'Scripts using it are refused from the next request on.'} This cannot be
        undone.
      </ConfirmDialog>
      <Toast feedback={feedback} onDismiss={clear} />
    </div>
  );
}
