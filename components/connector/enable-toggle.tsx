'use client';

import { useState } from 'react';
import type { Connector } from '@/lib/connectors/store';
import { errorMessage, postJson } from '@/components/api/fetch-json';
import { FeedbackText, useFeedback } from '@/components/ui/feedback';
import { Switch } from '@/components/ui/switch';

/** Turns the connector's scheduled runs on or off (operators and admins); manual runs stay possible either way. */
export function EnableToggle({ connector, onChanged }: { connector: Connector; onChanged(connector: Connector): void }) {
  const [busy, setBusy] = useState(false);
  const { feedback, say } = useFeedback();

  async function change(enabled: boolean) {
    setBusy(true);
    try {
      const updated = await postJson<Connector>(`/api/connectors/${encodeURIComponent(connector.id)}/${enabled ? 'enable' : 'disable'}`);
      onChanged(updated);
      say('ok', enabled ? 'Scheduled runs are on' : 'Scheduled runs are off');
    } catch (error) {
      say('error', errorMessage(error, 'Could not change it'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
      <Switch testId="enable-toggle" checked={connector.enabled} label="Scheduled runs" busy={busy} onChange={(next) => void change(next)} />
      <FeedbackText feedback={feedback} testId="enable-feedback" />
    </div>
  );
}
