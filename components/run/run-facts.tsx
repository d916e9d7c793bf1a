import Link from 'next/link';
import type { ReactNode } from 'react';
import type { Run } from '@/lib/runs/store';
import { runHref } from '@/components/runs/run-row';
import { card, codeTag, linkText, mutedText, sectionTitle } from '@/components/ui/styles';

const term = `text-xs font-medium ${mutedText}`;

/** Who or what started the run, where it ran, which attempt it is, and why it was skipped or cancelled. */
export function RunFacts({ run }: { run: Run }) {
  const facts: Array<{ label: string; value: ReactNode; testId?: string }> = [
    { label: 'Trigger', value: <span className="capitalize">{run.trigger}</span>, testId: 'run-trigger' },
    { label: 'Started by', value: run.initiatedBy || '—' },
    { label: 'Instance', value: run.instanceId ? <span className={codeTag}>{run.instanceId}</span> : '—' },
  ];
  if (run.scheduleId) facts.push({ label: 'Schedule', value: <span className={codeTag}>{run.scheduleId}</span> });
  if (run.attempt && run.attempt > 1) facts.push({ label: 'Attempt', value: `${run.attempt}` });
  if (run.firstRunId && run.firstRunId !== run.id) {
    facts.push({ label: 'First attempt', value: <Link href={runHref(run.firstRunId)} className={`break-all ${linkText}`}>{run.firstRunId}</Link> });
  }
  if (run.waitingFor) facts.push({ label: 'Queued behind', value: <Link href={runHref(run.waitingFor)} className={`break-all ${linkText}`}>{run.waitingFor}</Link> });
  if (run.cancelledBy) facts.push({ label: 'Cancelled by', value: run.cancelledBy });
  if (run.reason) facts.push({ label: run.status === 'skipped' ? 'Why skipped' : 'Reason', value: run.reason, testId: 'run-reason' });
  return (
    <section aria-labelledby="facts-title" className={`${card} p-5`}>
      <h2 id="facts-title" className={`${sectionTitle} mb-4`}>
        Details
      </h2>
      <dl className="grid gap-x-6 gap-y-3 text-sm sm:grid-cols-2 lg:grid-cols-1 xl:grid-cols-2">
        {facts.map((fact) => (
          <div key={fact.label} className={fact.label === 'Why skipped' || fact.label === 'Reason' ? 'sm:col-span-2' : undefined}>
            <dt className={term}>{fact.label}</dt>
            <dd data-testid={fact.testId} className="min-w-0 break-words">
              {fact.value}
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
