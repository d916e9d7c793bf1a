import type { SyncLogEvent } from '@/lib/realtime/events';
import type { Run } from '@/lib/runs/store';

export type LogLine = NonNullable<Run['log']>[number];

/** The page keeps at most this many lines of a live log. */
export const MAX_LINES = 5000;

const keyOf = (line: LogLine) => `${line.at}|${line.level}|${line.message}`;

export const toLine = ({ at, level, message }: SyncLogEvent): LogLine => ({ at, level, message });

/**
 * The stored log read from the server, followed by the live lines it does not hold yet. The server saves the
 * log now and then, so live lines may be ahead of it; lines older than its last one are already in it or dropped.
 */
export function mergeLog(fetched: LogLine[], live: LogLine[]): LogLine[] {
  const seen = new Set(fetched.map(keyOf));
  const last = fetched.at(-1)?.at ?? '';
  const merged = [...fetched, ...live.filter((line) => !seen.has(keyOf(line)) && line.at >= last)];
  return merged.length > MAX_LINES ? merged.slice(-MAX_LINES) : merged;
}

export function appendLine(log: LogLine[], line: LogLine): LogLine[] {
  const next = [...log, line];
  return next.length > MAX_LINES ? next.slice(-MAX_LINES) : next;
}
