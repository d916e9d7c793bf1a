'use client';

import { useContext, useEffect, useRef } from 'react';
import type { Room } from '@/lib/realtime/events';
import { LiveFeedContext, LiveRoomsContext, LiveStatusContext, type LiveListener } from './live-context';

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

/**
 * Joins `room` while the caller is mounted (null joins nothing). Answers how many times the room has been
 * (re)joined: 0 until the server confirmed it, then growing after every reconnect. Effects keyed on it re-read
 * what the room shows, so events sent before the join are never missed.
 */
export function useLiveRoom(room: Room | null): number {
  const { join, versions } = useContext(LiveRoomsContext);
  useEffect(() => (room ? join(room) : undefined), [join, room]);
  return room ? (versions[room] ?? 0) : 0;
}
