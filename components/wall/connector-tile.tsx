'use client';

import type { ConnectorStatus } from '@/lib/connectors/status';
import type { Run } from '@/lib/runs/store';
import { statusOf, type Tone } from '@/components/overview/status-label';
import { formatDuration, formatRelative } from '@/components/time/format';
import { useNow } from '@/components/time/now-provider';
import { formatCountdown } from './upcoming';

export type Density = 'roomy' | 'normal' | 'dense';

/** Tile type size; everything inside is in em, so one class scales the whole tile. */
const sizes: Record<Density, string> = { roomy: 'text-[1.45rem]', normal: 'text-[1.1rem]', dense: 'text-[0.85rem]' };

const badges: Record<Tone, string> = {
  active: 'bg-sky-500/20 text-sky-200 ring-sky-400/50',
  waiting: 'bg-violet-500/20 text-violet-200 ring-violet-400/50',
  good: 'bg-emerald-500/15 text-emerald-300 ring-emerald-400/40',
  bad: 'bg-red-600 text-white ring-red-400',
  warn: 'bg-orange-500/20 text-orange-200 ring-orange-400/50',
  neutral: 'bg-slate-700/50 text-slate-300 ring-slate-500/40',
};
const icons: Record<Tone, string> = { active: '●', waiting: '◷', good: '✓', bad: '✕', warn: '!', neutral: '–' };

const number = new Intl.NumberFormat('en-US');

function Progress({ run, name, dense }: { run: Run; name: string; dense: boolean }) {
  const done = run.progress?.done ?? 0;
  const total = run.progress?.total;
  const known = typeof total === 'number' && total > 0;
  const percent = known ? Math.min(100, Math.round((done / total) * 100)) : null;
  const phase = run.status === 'queued' ? 'waiting to start' : (run.progress?.phase ?? 'working');
  return (
    <div className="space-y-[0.35em]">
      <div className="flex items-baseline justify-between gap-[0.5em]">
        <span className="truncate font-semibold text-sky-300 first-letter:uppercase">{phase}</span>
        <span className="text-[1.15em] font-bold tabular-nums" data-testid="wall-progress-text">
          {known ? `${percent}%` : done > 0 ? number.format(done) : ''}
        </span>
      </div>
      <div
        data-testid="wall-progress"
        role="progressbar"
        aria-label={`Progress of ${name}`}
        aria-valuemin={known ? 0 : undefined}
        aria-valuemax={known ? total : undefined}
        aria-valuenow={known ? done : undefined}
        aria-valuetext={known ? `${done} of ${total} records` : 'In progress'}
        className="relative h-[0.55em] overflow-hidden rounded-full bg-slate-800"
      >
        {known ? (
          <div className="h-full rounded-full bg-sky-400 transition-[width] duration-700 ease-out" style={{ width: `${percent}%` }} />
        ) : (
          <div className="absolute inset-y-0 w-2/5 rounded-full bg-sky-400/80 motion-safe:animate-indeterminate" />
        )}
      </div>
      {dense ? null : (
        <p className="truncate text-[0.85em] text-slate-400 tabular-nums">
          {known ? `${number.format(done)} / ${number.format(total)} · ` : ''}
          {number.format(run.counts.created)} created · {number.format(run.counts.updated)} updated
          {run.counts.failed ? ` · ${number.format(run.counts.failed)} failed` : ''}
        </p>
      )}
    </div>
  );
}

function Facts({ connector, paused, now }: { connector: ConnectorStatus; paused: boolean; now: number }) {
  const last = connector.lastRun;
  const next = !connector.enabled ? 'Disabled' : paused ? 'Paused' : connector.nextRun ? `in ${formatCountdown(Date.parse(connector.nextRun) - now)}` : 'No schedule';
  return (
    <dl className="grid grid-cols-[minmax(0,1fr)_auto] gap-x-[1em] tabular-nums">
      <dt className="text-[0.75em] font-semibold tracking-wider text-slate-500 uppercase">Last run</dt>
      <dt className="text-right text-[0.75em] font-semibold tracking-wider text-slate-500 uppercase">Next run</dt>
      <dd className="truncate text-slate-200">
        {last ? formatRelative(last.finishedAt ?? last.queuedAt, now) : 'Never'}
        {last?.durationMs !== undefined ? <span className="text-slate-400"> · {formatDuration(last.durationMs)}</span> : null}
      </dd>
      <dd className="text-right font-bold text-slate-100" data-testid="wall-next">
        {next}
      </dd>
    </dl>
  );
}

/** One connector, readable from across the room: status word and icon, live progress, and a loud failure streak. */
export function ConnectorTile({ connector, density, paused }: { connector: ConnectorStatus; density: Density; paused: boolean }) {
  const { now } = useNow();
  const { label, tone } = statusOf(connector);
  const streak = connector.enabled ? connector.consecutiveFailures : 0;
  const dense = density === 'dense';
  const frame = streak > 0 ? 'border-red-500 bg-red-950/50 shadow-[0_0_0_2px_rgb(239_68_68/0.5)]' : connector.running ? 'border-sky-700 bg-slate-900' : 'border-slate-800 bg-slate-900';
  return (
    <article
      data-testid="wall-tile"
      data-connector-id={connector.id}
      data-streak={streak}
      className={`${sizes[density]} flex min-h-0 min-w-0 flex-col gap-[0.5em] overflow-hidden rounded-2xl border px-[0.9em] py-[0.75em] ${frame} ${connector.enabled ? '' : 'opacity-55'}`}
    >
      <header className={dense ? 'space-y-[0.35em]' : 'space-y-[0.5em]'}>
        <h2 title={connector.name} className={`${dense ? 'truncate' : 'line-clamp-2'} text-[1.5em] leading-[1.15] font-bold tracking-tight`}>{connector.name}</h2>
        <span className={`inline-flex shrink-0 items-center gap-[0.35em] rounded-full px-[0.65em] py-[0.15em] text-[1.05em] font-bold ring-1 ring-inset ${badges[tone]}`}>
          <span aria-hidden="true">{icons[tone]}</span>
          <span data-testid="wall-status">{label}</span>
        </span>
      </header>
      {streak > 0 ? (
        <div data-testid="wall-streak" className="min-w-0 text-red-300">
          <p className="truncate text-[1.2em] font-extrabold">
            {streak} {streak === 1 ? 'failure' : 'failures in a row'}
          </p>
          {connector.lastError && !dense ? <p className="line-clamp-2 text-[0.85em] font-medium text-red-200/80">{connector.lastError.message}</p> : null}
        </div>
      ) : null}
      <div className="min-h-0 flex-1" />
      {connector.running ? <Progress run={connector.running} name={connector.name} dense={dense} /> : <Facts connector={connector} paused={paused} now={now} />}
    </article>
  );
}
