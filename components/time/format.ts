/** Human-readable times for the dashboard. Pure functions: the caller passes `now`. */

const MINUTE_S = 60;
const HOUR_S = 60 * MINUTE_S;
const DAY_S = 24 * HOUR_S;

function span(seconds: number): string {
  if (seconds < MINUTE_S) return `${seconds} s`;
  if (seconds < HOUR_S) return `${Math.floor(seconds / MINUTE_S)} min`;
  if (seconds < DAY_S) return `${Math.floor(seconds / HOUR_S)} h`;
  return `${Math.floor(seconds / DAY_S)} d`;
}

/** "12 s ago", "in 41 s", "just now"; times a little in the past that were meant as future read "due now". */
export function formatRelative(iso: string, now: number, { future = false } = {}): string {
  const diffMs = Date.parse(iso) - now;
  const seconds = Math.floor(Math.abs(diffMs) / 1000);
  if (future && diffMs <= 0) return 'due now';
  if (seconds < 1) return 'just now';
  return diffMs > 0 ? `in ${span(seconds)}` : `${span(seconds)} ago`;
}

/** "420 ms", "10.3 s", "2 min 5 s", "1 h 3 min". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < MINUTE_S * 1000) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  if (seconds < HOUR_S) return `${Math.floor(seconds / MINUTE_S)} min ${seconds % MINUTE_S} s`;
  return `${Math.floor(seconds / HOUR_S)} h ${Math.floor((seconds % HOUR_S) / MINUTE_S)} min`;
}

/** Local wall-clock time, for "last heartbeat at 14:03:21". Client-side only (locale and time zone differ). */
export function formatClock(at: number | string): string {
  return new Date(at).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/** Local date and time, for tooltips. Client-side only. */
export function formatDateTime(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
}
