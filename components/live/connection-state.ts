import type { LiveStatus } from './live-context';

/** Heartbeats that may be missed before the connection counts as stale. */
export const STALE_AFTER_HEARTBEATS = 3;
/** A disconnection shorter than this is a blip and gets no banner. */
export const BANNER_AFTER_MS = 5000;

export type ConnectionState = 'live' | 'reconnecting' | 'stale';

/**
 * live: connected and a heartbeat arrived recently (a fresh connection gets the same grace);
 * reconnecting: the socket is down; stale: connected, but heartbeats stopped coming.
 */
export function connectionStateOf(status: LiveStatus, now: number): ConnectionState {
  if (!status.connected) return 'reconnecting';
  const lastSign = Math.max(status.since, status.lastHeartbeat?.receivedAt ?? 0);
  return now - lastSign > STALE_AFTER_HEARTBEATS * status.heartbeatIntervalMs ? 'stale' : 'live';
}

/** Whether the page should warn loudly: stale, or down for longer than a blip. */
export function needsBanner(status: LiveStatus, now: number): boolean {
  const state = connectionStateOf(status, now);
  return state === 'stale' || (state === 'reconnecting' && now - status.since > BANNER_AFTER_MS);
}
