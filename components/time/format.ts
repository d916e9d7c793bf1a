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

/** Local short date and time, "Mar 5, 14:03:21". Client-side only. */
export function formatShortDateTime(iso: string, timeZone?: string): string {
  return new Date(iso).toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit', timeZone });
}

/** A slot time as a schedule sees it: "Tue, Mar 5, 06:00 CET" in the schedule's zone. Client-side only. */
export function formatSlot(iso: string, timeZone?: string): string {
  const seconds = new Date(iso).getUTCSeconds() ? { second: '2-digit' as const } : {};
  const options: Intl.DateTimeFormatOptions = { weekday: 'short', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', ...seconds, timeZoneName: 'short' };
  try {
    return new Date(iso).toLocaleString(undefined, { ...options, timeZone });
  } catch {
    return new Date(iso).toLocaleString(undefined, options); // a zone this browser does not know
  }
}

/** A whole number of seconds in the largest units that fit: "90 s" → "1 min 30 s", "1 d 2 h". */
export function formatSeconds(seconds: number): string {
  const d = Math.floor(seconds / DAY_S);
  const h = Math.floor((seconds % DAY_S) / HOUR_S);
  const m = Math.floor((seconds % HOUR_S) / MINUTE_S);
  const s = seconds % MINUTE_S;
  return [d && `${d} d`, h && `${h} h`, m && `${m} min`, s && `${s} s`].filter(Boolean).join(' ') || '0 s';
}
