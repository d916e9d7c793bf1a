'use client';

import type { ConnectorStatus } from '@/lib/connectors/status';
import { useNow } from '@/components/time/now-provider';
import { formatCountdown, upcomingRuns } from './upcoming';

/** How many upcoming starts the panel lists. */
const SHOWN = 6;

/** The next scheduled starts across all connectors, soonest first, each with a countdown. */
export function UpcomingPanel({ connectors, paused }: { connectors: ConnectorStatus[]; paused: boolean }) {
  const { now, hydrated } = useNow();
  const list = upcomingRuns(connectors, now, SHOWN);
  return (
    <section aria-labelledby="wall-upcoming-title" data-testid="wall-upcoming" className="flex min-h-0 shrink-0 flex-col rounded-2xl border border-slate-800 bg-slate-900 px-[1.1rem] py-[0.9rem]">
      <h2 id="wall-upcoming-title" className="mb-[0.5rem] text-[1.05rem] font-semibold tracking-wider text-slate-400 uppercase">
        Upcoming runs
      </h2>
      {paused ? (
        <p className="py-[0.5rem] text-[1.3rem] font-semibold text-amber-300">Scheduler paused: scheduled runs are on hold.</p>
      ) : list.length === 0 ? (
        <p className="py-[0.5rem] text-[1.2rem] text-slate-400">No scheduled runs ahead.</p>
      ) : (
        <ol className="divide-y divide-slate-800">
          {list.map((u) => (
            <li key={u.key} data-testid="wall-upcoming-row" className="flex items-baseline gap-[1rem] py-[0.35rem]">
              <span className="w-[6.5rem] shrink-0 text-right text-[1.6rem] font-bold text-sky-300 tabular-nums">
                {hydrated ? formatCountdown(Date.parse(u.at) - now) : ''}
              </span>
              <span className="min-w-0 flex-1">
                <span className="block truncate text-[1.25rem] font-semibold">{u.connectorName}</span>
                <span className="block truncate text-[0.9rem] text-slate-400">{u.schedule}</span>
              </span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
