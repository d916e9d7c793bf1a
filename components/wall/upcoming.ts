import type { ConnectorStatus } from '@/lib/connectors/status';

export interface UpcomingRun {
  key: string;
  connectorId: string;
  connectorName: string;
  schedule: string;
  at: string;
}

/** The next `limit` scheduled starts across all connectors, soonest first, not before `now`. */
export function upcomingRuns(connectors: ConnectorStatus[], now: number, limit: number): UpcomingRun[] {
  const all = connectors.flatMap((c) =>
    c.schedules.flatMap((s) =>
      s.nextRuns
        .filter((at) => Date.parse(at) >= now - 1000)
        .map((at) => ({ key: `${c.id}:${s.id}:${at}`, connectorId: c.id, connectorName: c.name, schedule: s.description, at })),
    ),
  );
  return all.sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || a.key.localeCompare(b.key)).slice(0, limit);
}

/** "0:42", "12:05", "1 h 20 min", "2 d 3 h": a countdown that stays short. */
export function formatCountdown(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 3600) return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
  const h = Math.floor(s / 3600);
  if (h < 24) return `${h} h ${Math.floor((s % 3600) / 60)} min`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}

/** Columns for `n` tiles in an area about 1.5 times wider than tall, with tiles about twice as wide as tall. */
export function tileColumns(n: number): number {
  return Math.max(1, Math.min(8, Math.ceil(Math.sqrt(n * 0.74))));
}
