'use client';

import { useCallback, useEffect, useState } from 'react';
import type { Overview } from '@/lib/overview';
import { onUnauthorized } from '@/components/api/fetch-json';
import { LiveProvider } from '@/components/live/live-provider';
import { WallBoard } from './wall-board';

/** How the screen got here: a display link (no login; revocation shows on screen) or a signed-in user. */
export type WallAccess = 'display' | 'signed-in';

/**
 * The ops-room wall. On a display link, a refused socket handshake or a 401 from the API means the link was revoked:
 * the screen says so instead of going to the login page nobody at the wall can use.
 */
export function WallPage({ initial, access, viewer }: { initial: Overview; access: WallAccess; viewer: string }) {
  const [revoked, setRevoked] = useState(false);
  const onRevoked = useCallback(() => setRevoked(true), []);
  useEffect(() => (access === 'display' ? onUnauthorized(onRevoked) : undefined), [access, onRevoked]);
  return (
    <LiveProvider heartbeatIntervalMs={initial.heartbeatIntervalMs} onUnauthorized={access === 'display' ? onRevoked : undefined}>
      <WallBoard initial={initial} access={access} viewer={viewer} revoked={revoked} />
    </LiveProvider>
  );
}
