import { createContext } from 'react';
import type { ServerEventName, ServerEventPayload } from '@/lib/realtime/events';
import { LiveStore } from './live-store';

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

/** The page's live connection; outside a `LiveProvider`, one that never connects. */
export const LiveContext = createContext(new LiveStore(5000));
