'use client';

import { useEffect, useState, type ReactNode } from 'react';
import { LiveContext } from './live-context';
import { LiveStore } from './live-store';

/** Gives the page its one live connection (the session cookie authenticates the handshake); see `LiveStore`. */
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
  const [store] = useState(() => new LiveStore(heartbeatIntervalMs));
  useEffect(() => store.whenUnauthorized(onUnauthorized), [store, onUnauthorized]);
  useEffect(() => store.connect(), [store]);
  return <LiveContext.Provider value={store}>{children}</LiveContext.Provider>;
}
