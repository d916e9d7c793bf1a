import { createContext } from 'react';
import type { Room, ServerEventName, ServerEventPayload } from '@/lib/realtime/events';

/** One server event as the dashboard receives it: its name and typed payload. */
export type LiveEvent = { [E in ServerEventName]: { type: E; payload: ServerEventPayload<E> } }[ServerEventName];
export type LiveListener = (event: LiveEvent) => void;

/** The socket's health as the connection indicator needs it. Times are browser-clock milliseconds. */
export interface LiveStatus {
  connected: boolean;
  /** When the socket last connected or disconnected (or the page started trying). */
  since: number;
  /** The newest heartbeat: when it arrived here, and the server's own time stamp. */
  lastHeartbeat: { receivedAt: number; at: string } | null;
  heartbeatIntervalMs: number;
}

export interface LiveFeed {
  /** Calls `listener` for every event; returns the function that stops it. */
  subscribe(listener: LiveListener): () => void;
  /** Grows by one after every (re)connect once the rooms are joined: the moment to re-read the full state. */
  epoch: number;
}

export interface LiveRooms {
  /** Joins `room` while the caller needs it (reference-counted, re-joined after reconnects); returns the leave function. */
  join(room: Room): () => void;
  /** Per room, how many times it has been (re)joined: the moment to re-read what the room shows. */
  versions: Readonly<Record<string, number>>;
}

export const LiveStatusContext = createContext<LiveStatus>({ connected: false, since: 0, lastHeartbeat: null, heartbeatIntervalMs: 5000 });
export const LiveFeedContext = createContext<LiveFeed>({ subscribe: () => () => {}, epoch: 0 });
export const LiveRoomsContext = createContext<LiveRooms>({ join: () => () => {}, versions: {} });
