'use client';

import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '@/lib/realtime/events';
import { LiveFeedContext, LiveStatusContext, type LiveEvent, type LiveListener, type LiveStatus } from './live-context';

type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Pause before connecting again when Socket.IO itself has given up (server-side disconnect, refused handshake). */
const RETRY_MS = 3000;
const SUBSCRIBE_TIMEOUT_MS = 5000;

/**
 * Owns the page's one Socket.IO connection (the session cookie authenticates the handshake), joins the
 * `overview` room on every connect, tracks heartbeats for the indicator and fans events out to subscribers.
 */
export function LiveProvider({ heartbeatIntervalMs, children }: { heartbeatIntervalMs: number; children: ReactNode }) {
  const [status, setStatus] = useState<LiveStatus>(() => ({ connected: false, since: Date.now(), lastHeartbeat: null, heartbeatIntervalMs }));
  const [epoch, setEpoch] = useState(0);
  const listeners = useRef(new Set<LiveListener>());

  useEffect(() => {
    const socket: LiveSocket = io({ path: '/socket.io', withCredentials: true, transports: ['websocket', 'polling'] });
    let retry: ReturnType<typeof setTimeout> | undefined;
    const reconnectLater = () => {
      clearTimeout(retry);
      retry = setTimeout(() => socket.connect(), RETRY_MS);
    };
    const publish = (event: LiveEvent) => listeners.current.forEach((listener) => listener(event));

    socket.on('connect', () => {
      setStatus((s) => ({ ...s, connected: true, since: Date.now() }));
      socket.timeout(SUBSCRIBE_TIMEOUT_MS).emit('subscribe', ['overview'], (err, result) => {
        if (!err && result.ok) return setEpoch((e) => e + 1);
        socket.disconnect();
        reconnectLater();
      });
    });
    socket.on('disconnect', (reason) => {
      setStatus((s) => ({ ...s, connected: false, since: Date.now() }));
      if (reason === 'io server disconnect') reconnectLater();
    });
    socket.on('connect_error', (err) => {
      if (socket.active) return; // Socket.IO keeps retrying by itself
      if (err.message === 'unauthorized') {
        window.location.assign(`/login?callbackUrl=${encodeURIComponent(window.location.pathname)}`);
        return;
      }
      reconnectLater();
    });
    socket.on('heartbeat', (payload) => {
      setStatus((s) => ({ ...s, lastHeartbeat: { receivedAt: Date.now(), at: payload.at } }));
      publish({ type: 'heartbeat', payload });
    });
    socket.on('sync:start', (payload) => publish({ type: 'sync:start', payload }));
    socket.on('sync:progress', (payload) => publish({ type: 'sync:progress', payload }));
    socket.on('sync:finish', (payload) => publish({ type: 'sync:finish', payload }));
    socket.on('connector:updated', (payload) => publish({ type: 'connector:updated', payload }));

    return () => {
      clearTimeout(retry);
      socket.disconnect();
    };
  }, []);

  const subscribe = useCallback((listener: LiveListener) => {
    listeners.current.add(listener);
    return () => void listeners.current.delete(listener);
  }, []);
  const feed = useMemo(() => ({ subscribe, epoch }), [subscribe, epoch]);

  return (
    <LiveStatusContext.Provider value={status}>
      <LiveFeedContext.Provider value={feed}>{children}</LiveFeedContext.Provider>
    </LiveStatusContext.Provider>
  );
}
