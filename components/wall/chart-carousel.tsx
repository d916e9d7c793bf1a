'use client';

import { useEffect, useState, type ReactNode } from 'react';
import type { ConnectorStatus } from '@/lib/connectors/status';
import { chartVars } from '@/components/charts/chart-theme';
import { WallDurationsChart } from '@/components/charts/wall-durations-chart';
import { HourlyOutcomesChart } from '@/components/charts/hourly-outcomes-chart';
import { StreakBarsChart } from '@/components/charts/streak-bars-chart';
import { useNow } from '@/components/time/now-provider';
import { useActivity } from './use-activity';
import { useRemPx } from './use-rem';

/** Each panel stays this long before the next one takes its place. */
export const ROTATE_MS = 15_000;
/** Connectors shown in the per-connector charts (the worst or slowest first). */
const CHART_ROWS = 8;

interface Panel {
  id: string;
  title: string;
  legend: Array<{ label: string; color: string }>;
  body: ReactNode;
}

function Message({ children }: { children: ReactNode }) {
  return <p className="flex h-full items-center justify-center text-center text-[1.2rem] text-slate-400">{children}</p>;
}

/** Charts that take turns every {@link ROTATE_MS}, with dots and a filling bar showing which is on and when the next comes. */
export function ChartCarousel({ connectors }: { connectors: ConnectorStatus[] }) {
  const { activity, failed } = useActivity();
  const { now } = useNow();
  const remPx = useRemPx();
  const [turn, setTurn] = useState(() => ({ index: 0, since: Date.now() }));
  useEffect(() => {
    const timer = setInterval(() => setTurn((t) => ({ index: t.index + 1, since: Date.now() })), ROTATE_MS);
    return () => clearInterval(timer);
  }, []);

  const names = new Map(connectors.map((c) => [c.id, c.name]));
  const notYet = failed ? <Message>Could not load the figures; trying again with the next update.</Message> : <Message>Loading figures…</Message>;
  const durations = (activity?.byConnector ?? [])
    .filter((a) => a.p50Ms !== null && names.has(a.connectorId))
    .sort((a, b) => (b.p95Ms ?? 0) - (a.p95Ms ?? 0))
    .slice(0, CHART_ROWS)
    .map((a) => ({ name: names.get(a.connectorId)!, p50Ms: a.p50Ms, p95Ms: a.p95Ms }));
  const streaks = connectors
    .filter((c) => c.totalRuns > 0)
    .map((c) => ({ name: c.name, current: c.consecutiveFailures, longest: c.longestFailureStreak }))
    .sort((a, b) => b.current - a.current || b.longest - a.longest || a.name.localeCompare(b.name))
    .slice(0, CHART_ROWS);
  const ran24h = activity ? activity.hourly.reduce((n, h) => n + h.succeeded + h.failed + h.other, 0) : 0;

  const panels: Panel[] = [
    {
      id: 'runs-per-hour',
      title: `Runs per hour · last 24 h${activity ? ` · ${ran24h} runs` : ''}`,
      legend: [
        { label: 'Succeeded', color: 'bg-emerald-400' },
        { label: 'Failed', color: 'bg-red-400' },
        { label: 'Cancelled / skipped', color: 'bg-slate-500' },
      ],
      body: !activity ? notYet : ran24h === 0 ? <Message>No finished runs in the last 24 hours.</Message> : <HourlyOutcomesChart hourly={activity.hourly} remPx={remPx} />,
    },
    {
      id: 'durations',
      title: 'Durations by connector · last 24 h',
      legend: [
        { label: 'Median', color: 'bg-sky-400' },
        { label: '95th percentile', color: 'bg-indigo-400' },
      ],
      body: !activity ? notYet : durations.length === 0 ? <Message>No finished runs in the last 24 hours.</Message> : <WallDurationsChart rows={durations} remPx={remPx} />,
    },
    {
      id: 'streaks',
      title: 'Failure streaks',
      legend: [
        { label: 'Failures in a row now', color: 'bg-red-400' },
        { label: 'Longest streak', color: 'bg-slate-500' },
      ],
      body: streaks.length === 0 ? <Message>No runs yet.</Message> : <StreakBarsChart rows={streaks} remPx={remPx} />,
    },
  ];
  const index = turn.index % panels.length;
  const panel = panels[index]!;
  const elapsed = Math.max(0, Math.min(1, (now - turn.since) / ROTATE_MS));

  return (
    <section
      aria-roledescription="carousel"
      aria-label="Charts"
      data-testid="wall-charts"
      data-panel={panel.id}
      className={`${chartVars} flex min-h-0 flex-1 flex-col overflow-hidden rounded-2xl border border-slate-800 bg-slate-900`}
    >
      <div className="h-[0.25rem] bg-slate-800" aria-hidden="true">
        <div className="h-full bg-indigo-400 transition-[width] duration-1000 ease-linear" style={{ width: `${Math.round(elapsed * 100)}%` }} />
      </div>
      <header className="flex items-start justify-between gap-[1rem] px-[1.1rem] pt-[0.8rem]">
        <h2 className="text-[1.3rem] leading-tight font-semibold" data-testid="wall-chart-title">
          {panel.title}
        </h2>
        <div className="flex shrink-0 items-center gap-[0.45rem] pt-[0.4rem]" aria-label={`Chart ${index + 1} of ${panels.length}`}>
          {panels.map((p, i) => (
            <span key={p.id} aria-hidden="true" className={`size-[0.7rem] rounded-full ${i === index ? 'bg-indigo-400' : 'bg-slate-700'}`} />
          ))}
        </div>
      </header>
      <ul className="flex flex-wrap gap-x-[1.2rem] gap-y-[0.2rem] px-[1.1rem] pt-[0.3rem] text-[0.95rem] text-slate-300">
        {panel.legend.map((l) => (
          <li key={l.label} className="flex items-center gap-[0.4rem]">
            <span aria-hidden="true" className={`size-[0.75rem] rounded-sm ${l.color}`} />
            {l.label}
          </li>
        ))}
      </ul>
      <div className="min-h-0 flex-1 px-[0.6rem] pt-[0.5rem] pb-[0.8rem]">{panel.body}</div>
    </section>
  );
}
