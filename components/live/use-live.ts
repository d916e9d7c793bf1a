'use client';

import { useContext, useEffect, useRef } from 'react';
import { LiveFeedContext, LiveStatusContext, type LiveListener } from './live-context';

export type { LiveEvent } from './live-context';

/** The live connection's health (connected, last heartbeat). */
export function useLiveStatus() {
  return useContext(LiveStatusContext);
}

/** Grows after every (re)connect; effects keyed on it re-read the full state so no event is ever missed. */
export function useLiveEpoch(): number {
  return useContext(LiveFeedContext).epoch;
}

/** Calls the latest `listener` for every live event while the caller is mounted. */
export function useLiveEvents(listener: LiveListener): void {
  const { subscribe } = useContext(LiveFeedContext);
  const latest = useRef(listener);
  useEffect(() => {
    latest.current = listener;
  });
  useEffect(() => subscribe((event) => latest.current(event)), [subscribe]);
}
