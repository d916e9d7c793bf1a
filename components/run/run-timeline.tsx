'use client';

import type { Run } from '@/lib/runs/store';
import { formatDuration } from '@/components/time/format';
import { LocalTime } from '@/components/time/local-time';
import { useNow } from '@/components/time/now-provider';
import { card, mutedText, sectionTitle } from '@/components/ui/styles';

type Step = { label: string; at?: string; note?: string; tone: 'done' | 'now' | 'todo' | 'bad' | 'neutral' };

function stepsOf(run: Run, now: number): Step[] {
  const ended = run.finishedAt !== undefined;
  const bad = run.status === 'failed' || run.status === 'interrupted';
  const steps: Step[] = [{ label: 'Queued', at: run.queuedAt, tone: 'done' }];
  if (run.slot && Math.abs(Date.parse(run.slot) - Date.parse(run.queuedAt)) > 1000) steps.unshift({ label: 'Slot', at: run.slot, note: 'the scheduled time this run belongs to', tone: 'done' });
  if (run.notBefore && run.notBefore > run.queuedAt && !run.startedAt) steps.push({ label: 'Waits until', at: run.notBefore, tone: ended ? 'done' : 'now' });
  if (run.waitingFor && !run.startedAt) steps.push({ label: 'Waits for the run before it', note: run.waitingFor, tone: ended ? 'done' : 'now' });
  if (run.startedAt) {
    const elapsed = ended ? null : `running for ${formatDuration(Math.max(0, now - Date.parse(run.startedAt)))}`;
    steps.push({ label: 'Started', at: run.startedAt, note: elapsed ?? undefined, tone: ended ? 'done' : 'now' });
  } else if (!ended) steps.push({ label: 'Not started yet', tone: 'todo' });
  if (ended) {
    const outcome = run.status.charAt(0).toUpperCase() + run.status.slice(1);
    const note = run.durationMs !== undefined && run.status !== 'skipped' ? `after ${formatDuration(run.durationMs)}` : undefined;
    steps.push({ label: outcome, at: run.finishedAt, note, tone: bad ? 'bad' : run.status === 'succeeded' ? 'done' : 'neutral' });
  } else steps.push({ label: 'Finish', tone: 'todo' });
  return steps;
}

const dots: Record<Step['tone'], string> = {
  done: 'bg-emerald-500 ring-emerald-100 dark:ring-emerald-950',
  now: 'bg-sky-500 ring-sky-100 motion-safe:animate-pulse dark:ring-sky-950',
  todo: 'bg-slate-300 ring-slate-100 dark:bg-slate-600 dark:ring-slate-800',
  bad: 'bg-red-500 ring-red-100 dark:ring-red-950',
  neutral: 'bg-slate-400 ring-slate-100 dark:bg-slate-500 dark:ring-slate-800',
};

/** Queued → started → finished, with the times and how long each took; the current step pulses. */
export function RunTimeline({ run }: { run: Run }) {
  const { now } = useNow();
  return (
    <section aria-labelledby="timeline-title" className={`${card} p-5`}>
      <h2 id="timeline-title" className={`${sectionTitle} mb-4`}>
        Timeline
      </h2>
      <ol className="relative space-y-4 border-l border-slate-200 pl-5 dark:border-slate-700" data-testid="run-timeline">
        {stepsOf(run, now).map((step) => (
          <li key={step.label} className="relative">
            <span aria-hidden="true" className={`absolute top-1 -left-[1.6rem] size-2.5 rounded-full ring-4 ${dots[step.tone]}`} />
            <p className={`text-sm font-medium ${step.tone === 'todo' ? mutedText : ''}`}>{step.label}</p>
            <p className={`text-xs ${mutedText}`}>
              {step.at ? <LocalTime iso={step.at} format="full" /> : null}
              {step.at && step.note ? ' · ' : null}
              {step.note ? <span className="break-all">{step.note}</span> : null}
            </p>
          </li>
        ))}
      </ol>
    </section>
  );
}
