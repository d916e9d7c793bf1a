'use client';

import { useState } from 'react';
import type { Run } from '@/lib/runs/store';
import { ApiRequestError, errorMessage, postJson } from '@/components/api/fetch-json';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { FeedbackText, useFeedback } from '@/components/ui/feedback';
import { Spinner } from '@/components/ui/spinner';
import { dangerButton } from '@/components/ui/styles';

/** Cancels the connector's going run after asking; the run's finish event then updates the page. */
export function CancelRunButton({ connectorId, run }: { connectorId: string; run: Run | null }) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const { feedback, say } = useFeedback();

  async function cancel() {
    setAsking(false);
    setBusy(true);
    try {
      await postJson<{ runId: string }>(`/api/connectors/${encodeURIComponent(connectorId)}/cancel`);
      say('ok', 'Cancel requested: the run stops at its next step');
    } catch (error) {
      if (error instanceof ApiRequestError && error.status === 409) say('warn', 'Nothing to cancel: the run has already ended');
      else say('error', errorMessage(error, 'Could not cancel'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="flex min-w-0 flex-wrap items-center gap-3">
      <button type="button" data-testid="cancel-run" className={dangerButton} disabled={!run || busy} title={run ? undefined : 'No run is going'} onClick={() => setAsking(true)}>
        {busy ? <Spinner /> : <span aria-hidden="true">■</span>}
        {busy ? 'Cancelling…' : 'Cancel run'}
      </button>
      <FeedbackText feedback={feedback} testId="cancel-feedback" />
      <ConfirmDialog open={asking} title="Cancel the running sync?" confirmLabel="Cancel run" onConfirm={() => void cancel()} onCancel={() => setAsking(false)} testId="cancel-confirm">
        The {run?.status === 'queued' ? 'queued' : 'running'} {run?.trigger ?? ''} run stops at its next step and is recorded as cancelled. Records it has already
        written stay written.
      </ConfirmDialog>
    </div>
  );
}
