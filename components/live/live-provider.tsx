'use client';

import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, Room, ServerToClientEvents } from '@/lib/realtime/events';
import { LiveFeedContext, LiveRoomsContext, LiveStatusContext, type LiveEvent, type LiveListener, type LiveStatus } from './live-context';

type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Pause before connecting again when Socket.IO itself has given up (server-side disconnect, refused handshake). */
const RETRY_MS = 3000;
const SUBSCRIBE_TIMEOUT_MS = 5000;

/**
 * Owns the page's one Socket.IO connection (the session cookie authenticates the handshake), joins the rooms
 * components asked for (and only those: a page receives what it shows) on every connect, tracks heartbeats (sent
 * to every socket) for the indicator and fans events out to subscribers.
 */
export function LiveProvider({
  heartbeatIntervalMs,
  onUnauthorized,
  children,
}: {
  heartbeatIntervalMs: number;
  /** What a refused handshake does; by default the browser goes to the login page. */
  onUnauthorized?: () => void;
  children: ReactNode;
}) {
  const [status, setStatus] = useState<LiveStatus>(() => ({ connected: false, since: Date.now(), lastHeartbeat: null, heartbeatIntervalMs }));
  const [epoch, setEpoch] = useState(0);
  const [versions, setVersions] = useState<Record<string, number>>({});
  const listeners = useRef(new Set<LiveListener>());
  /** Rooms components asked for, with how many of them ask. */
  const rooms = useRef(new Map<Room, number>());
  /** Joins and leaves rooms on the live socket; set while a socket exists. */
  const roomControl = useRef<{ join(list: Room[]): void; leave(list: Room[]): void } | null>(null);
  const unauthorized = useRef(onUnauthorized);
  useEffect(() => {
    unauthorized.current = onUnauthorized;
  });

  useEffect(() => {
    const socket: LiveSocket = io({ path: '/socket.io', withCredentials: true, transports: ['websocket', 'polling'] });
    let retry: ReturnType<typeof setTimeout> | undefined;
    const reconnectLater = () => {
      clearTimeout(retry);
      retry = setTimeout(() => socket.connect(), RETRY_MS);
    };
    const publish = (event: LiveEvent) => listeners.current.forEach((listener) => listener(event));
    const bump = (list: Room[]) =>
      setVersions((v) => Object.fromEntries([...Object.entries(v), ...list.filter((r) => rooms.current.has(r)).map((r) => [r, (v[r] ?? 0) + 1])]));
    const subscribe = (list: Room[], onJoined: () => void) =>
      socket.timeout(SUBSCRIBE_TIMEOUT_MS).emit('subscribe', list, (err, result) => {
        if (!err && result.ok) return onJoined();
        socket.disconnect();
        reconnectLater();
      });
    roomControl.current = {
      join: (list) => void (socket.connected && subscribe(list, () => bump(list))),
      leave: (list) => void (socket.connected && socket.emit('unsubscribe', list)),
    };

    socket.on('connect', () => {
      setStatus((s) => ({ ...s, connected: true, since: Date.now() }));
      const list: Room[] = [...rooms.current.keys()];
      subscribe(list, () => {
        setEpoch((e) => e + 1);
        bump(list);
      });
    });
    socket.on('disconnect', (reason) => {
      setStatus((s) => ({ ...s, connected: false, since: Date.now() }));
      if (reason === 'io server disconnect') reconnectLater();
    });
    socket.on('connect_error', (err) => {
      if (socket.active) return; // Socket.IO keeps retrying by itself
      if (err.message === 'unauthorized') {
        if (unauthorized.current) return unauthorized.current();
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
    socket.on('sync:log', (payload) => publish({ type: 'sync:log', payload }));
    socket.on('sync:finish', (payload) => publish({ type: 'sync:finish', payload }));
    socket.on('connector:updated', (payload) => publish({ type: 'connector:updated', payload }));

    return () => {
      clearTimeout(retry);
      roomControl.current = null;
      socket.disconnect();
    };
  }, []);

  const subscribe = useCallback((listener: LiveListener) => {
    listeners.current.add(listener);
    return () => void listeners.current.delete(listener);
  }, []);
  const feed = useMemo(() => ({ subscribe, epoch }), [subscribe, epoch]);

  const join = useCallback((room: Room) => {
    const count = rooms.current.get(room) ?? 0;
    rooms.current.set(room, count + 1);
    if (count === 0) roomControl.current?.join([room]);
    return () => {
      const left = (rooms.current.get(room) ?? 1) - 1;
      if (left > 0) return void rooms.current.set(room, left);
      rooms.current.delete(room);
      setVersions(({ [room]: _gone, ...rest }) => rest);
      roomControl.current?.leave([room]);
    };
  }, []);
  const roomsValue = useMemo(() => ({ join, versions }), [join, versions]);

  return (
    <LiveStatusContext.Provider value={status}>
      <LiveFeedContext.Provider value={feed}>
        <LiveRoomsContext.Provider value={roomsValue}>{children}</LiveRoomsContext.Provider>
      </LiveFeedContext.Provider>
    </LiveStatusContext.Provider>
  );
}
