'use client';

import type { Overview } from '@/lib/overview';
import { connectionStateOf, type ConnectionState } from '@/components/live/connection-state';
import { useLiveStatus } from '@/components/live/use-live';
import { useNow } from '@/components/time/now-provider';

const connectionLooks: Record<ConnectionState, { text: string; box: string; dot: string }> = {
  live: { text: 'Live', box: 'bg-emerald-500/15 text-emerald-300 ring-emerald-400/40', dot: 'bg-emerald-400 motion-safe:animate-pulse' },
  reconnecting: { text: 'Reconnecting', box: 'bg-amber-400/15 text-amber-200 ring-amber-300/50', dot: 'bg-amber-300 motion-safe:animate-pulse' },
  stale: { text: 'Stale', box: 'bg-red-600 text-white ring-red-400', dot: 'bg-white' },
};

const pill = 'inline-flex items-center gap-[0.5em] rounded-full px-[0.8em] py-[0.3em] ring-1 ring-inset font-semibold whitespace-nowrap';

function Count({ label, value, tone }: { label: string; value: number; tone: string }) {
  return (
    <div className="flex items-baseline gap-[0.4em]" data-testid={`wall-count-${label.toLowerCase()}`}>
      <span className={`text-[2.2rem] leading-none font-bold tabular-nums ${value > 0 ? tone : 'text-slate-500'}`}>{value}</span>
      <span className="text-[1rem] text-slate-400 uppercase tracking-wider">{label}</span>
    </div>
  );
}

/** Brand, the fleet in four numbers, scheduler state, connection state and the clock. */
export function WallHeader({ overview, revoked }: { overview: Overview; revoked: boolean }) {
  const status = useLiveStatus();
  const { now, hydrated } = useNow();
  const connection = revoked ? { text: 'Access revoked', box: 'bg-red-700 text-white ring-red-400', dot: 'bg-white' } : connectionLooks[connectionStateOf(status, now)];
  const connectors = overview.connectors;
  const running = connectors.filter((c) => c.running?.status === 'running').length;
  const failing = connectors.filter((c) => c.enabled && c.consecutiveFailures > 0).length;
  const disabled = connectors.filter((c) => !c.enabled).length;
  const healthy = connectors.length - failing - disabled;
  const paused = overview.scheduler.state === 'paused';
  return (
    <header className="flex items-center justify-between gap-[2rem] border-b border-slate-800 bg-slate-900/70 px-[1.5rem] py-[0.8rem]">
      <div className="flex items-center gap-[0.8rem]">
        <span aria-hidden="true" className="inline-flex size-[2.6rem] items-center justify-center rounded-xl bg-indigo-500 text-[1.5rem] font-bold text-white">
          ⇄
        </span>
        <div className="leading-tight">
          <h1 className="text-[1.7rem] font-bold tracking-tight">Syncdeck</h1>
          <p className="text-[0.95rem] text-slate-400">Sync wall · {connectors.length} connectors</p>
        </div>
      </div>
      <div className="flex items-center gap-[2.2rem]">
        <Count label="Running" value={running} tone="text-sky-300" />
        <Count label="Failing" value={failing} tone="text-red-400" />
        <Count label="Healthy" value={healthy} tone="text-emerald-300" />
        {disabled ? <Count label="Disabled" value={disabled} tone="text-slate-300" /> : null}
      </div>
      <div className="flex items-center gap-[1rem] text-[1.1rem]">
        <span data-testid="wall-scheduler" data-state={overview.scheduler.state} className={`${pill} ${paused ? 'bg-amber-400 text-amber-950 ring-amber-300' : 'bg-slate-800 text-slate-200 ring-slate-700'}`}>
          <span aria-hidden="true">{paused ? '⏸' : '▶'}</span>
          Scheduler {paused ? 'paused' : 'running'}
        </span>
        <span data-testid="wall-connection" data-state={connectionStateOf(status, now)} role="status" className={`${pill} ${connection.box}`}>
          <span aria-hidden="true" className={`size-[0.6em] rounded-full ${connection.dot}`} />
          {connection.text}
        </span>
        <time className="text-[2rem] font-semibold tabular-nums text-slate-100" suppressHydrationWarning>
          {hydrated ? new Date(now).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' }) : ''}
        </time>
      </div>
    </header>
  );
}
