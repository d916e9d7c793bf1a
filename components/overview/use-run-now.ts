'use client';

import { useEffect, useState } from 'react';
import { ApiRequestError, postJson } from '@/components/api/fetch-json';

export interface RunFeedback {
  tone: 'ok' | 'warn' | 'error';
  text: string;
}

const FEEDBACK_MS = 6000;

/** What the overview does with a run request's outcome. */
export interface RunNowHandlers {
  /** The run was accepted (202): show it as queued at once. */
  onQueued(connectorId: string, runId: string): void;
  /** 409: a run this page has not heard of is going; re-read the connector. */
  onConflict(connectorId: string): void;
}

/** POST /api/connectors/{id}/run with a busy flag and a short-lived message about how it went. */
export function useRunNow(connectorId: string, handlers: RunNowHandlers) {
  const [pending, setPending] = useState(false);
  const [feedback, setFeedback] = useState<RunFeedback | null>(null);

  useEffect(() => {
    if (!feedback) return;
    const timer = setTimeout(() => setFeedback(null), FEEDBACK_MS);
    return () => clearTimeout(timer);
  }, [feedback]);

  async function runNow() {
    setPending(true);
    setFeedback(null);
    try {
      const { runId } = await postJson<{ runId: string }>(`/api/connectors/${encodeURIComponent(connectorId)}/run`);
      handlers.onQueued(connectorId, runId);
      setFeedback({ tone: 'ok', text: 'Run started' });
    } catch (error) {
      if (error instanceof ApiRequestError && error.status === 409) {
        setFeedback({ tone: 'warn', text: 'Already running: wait for the current run to finish' });
        handlers.onConflict(connectorId);
      } else setFeedback({ tone: 'error', text: error instanceof Error ? error.message : 'Could not start the run' });
    } finally {
      setPending(false);
    }
  }

  return { pending, feedback, runNow };
}
