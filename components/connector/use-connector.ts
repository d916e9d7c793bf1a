'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import type { ConnectorStatus } from '@/lib/connectors/status';
import type { Connector } from '@/lib/connectors/store';
import { ApiRequestError, errorMessage, getJson } from '@/components/api/fetch-json';
import { useLiveEvents, useLiveRoom, type LiveEvent } from '@/components/live/use-live';
import { applyFinish, applyProgress, applyQueued, applyStart, mergeFetched } from '@/components/overview/connector-events';

const base = (id: string) => `/api/connectors/${encodeURIComponent(id)}`;

function applyEvent(status: ConnectorStatus, event: LiveEvent): ConnectorStatus {
  switch (event.type) {
    case 'sync:start':
      return applyStart(status, event.payload);
    case 'sync:progress':
      return applyProgress(status, event.payload);
    case 'sync:finish':
      return applyFinish(status, event.payload);
    default:
      return status;
  }
}

/**
 * One connector's definition and live status: starts from the server render, joins the connector's room,
 * applies its events, and re-reads from the API after each start, finish, change and (re)join.
 */
export function useConnector(initial: { connector: Connector; status: ConnectorStatus }) {
  const id = initial.connector.id;
  const [connector, setConnector] = useState(initial.connector);
  const [status, setStatus] = useState(initial.status);
  const [deleted, setDeleted] = useState(false);
  const [refreshError, setRefreshError] = useState<string | null>(null);
  const seq = useRef(0);

  const refresh = useCallback(
    async (what: { connector?: boolean } = {}) => {
      const since = seq.current;
      try {
        const [fetched, def] = await Promise.all([
          getJson<ConnectorStatus>(`${base(id)}/status`),
          what.connector ? getJson<Connector>(base(id)) : Promise.resolve(null),
        ]);
        setStatus((local) => mergeFetched(local, fetched, seq.current > since));
        if (def) setConnector(def);
        setRefreshError(null);
      } catch (error) {
        if (error instanceof ApiRequestError && error.status === 404) setDeleted(true);
        else setRefreshError(errorMessage(error, 'Could not refresh'));
      }
    },
    [id],
  );

  const joined = useLiveRoom(`connector:${id}`);
  useEffect(() => {
    if (joined > 0) void refresh({ connector: true });
  }, [joined, refresh]);

  useLiveEvents((event) => {
    if (event.type === 'heartbeat' || event.type === 'sync:log' || event.payload.connectorId !== id) return;
    seq.current++;
    if (event.type === 'connector:updated') {
      if (event.payload.deleted) return setDeleted(true);
      return void refresh({ connector: true });
    }
    setStatus((s) => applyEvent(s, event));
    if (event.type === 'sync:start' || event.type === 'sync:finish') void refresh();
  });

  const onQueued = useCallback((runId: string) => {
    seq.current++;
    setStatus((s) => applyQueued(s, runId, new Date().toISOString()));
  }, []);

  return { connector, setConnector, status, deleted, refreshError, refresh, onQueued };
}
