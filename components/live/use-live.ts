'use client';

import { useContext, useEffect, useRef, useSyncExternalStore } from 'react';
import type { Room } from '@/lib/realtime/events';
import { LiveContext, type LiveListener } from './live-context';

export type { LiveEvent } from './live-context';

/** The live connection's health (connected, last heartbeat). */
export function useLiveStatus() {
  const store = useContext(LiveContext);
  return useSyncExternalStore(store.watch, store.status, store.initialStatus);
}

/** Grows after every (re)connect; effects keyed on it re-read the full state so no event is ever missed. */
export function useLiveEpoch(): number {
  const store = useContext(LiveContext);
  return useSyncExternalStore(store.watch, store.epoch, () => 0);
}

/** Calls the latest `listener` for every live event while the caller is mounted. */
export function useLiveEvents(listener: LiveListener): void {
  const store = useContext(LiveContext);
  const latest = useRef(listener);
  useEffect(() => {
    latest.current = listener;
  });
  useEffect(() => store.listen((event) => latest.current(event)), [store]);
}

/**
 * Joins `room` while the caller is mounted (null joins nothing). Answers how many times the room has been
 * (re)joined: 0 until the server confirmed it, then growing after every reconnect. Effects keyed on it re-read
 * what the room shows, so events sent before the join are never missed.
 */
export function useLiveRoom(room: Room | null): number {
  const store = useContext(LiveContext);
  useEffect(() => (room ? store.join(room) : undefined), [store, room]);
  return useSyncExternalStore(store.watch, () => (room ? store.version(room) : 0), () => 0);
}
