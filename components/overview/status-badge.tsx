import type { Tone } from './status-label';

const looks: Record<Tone, { badge: string; dot: string }> = {
  active: { badge: 'bg-sky-50 text-sky-800 ring-sky-600/30 dark:bg-sky-950 dark:text-sky-200 dark:ring-sky-400/40', dot: 'bg-sky-500 motion-safe:animate-pulse' },
  waiting: { badge: 'bg-violet-50 text-violet-800 ring-violet-600/30 dark:bg-violet-950 dark:text-violet-200 dark:ring-violet-400/40', dot: 'bg-violet-500' },
  good: { badge: 'bg-emerald-50 text-emerald-800 ring-emerald-600/30 dark:bg-emerald-950 dark:text-emerald-200 dark:ring-emerald-400/40', dot: 'bg-emerald-500' },
  bad: { badge: 'bg-red-50 text-red-800 ring-red-600/30 dark:bg-red-950 dark:text-red-200 dark:ring-red-400/50', dot: 'bg-red-500' },
  warn: { badge: 'bg-orange-50 text-orange-800 ring-orange-600/30 dark:bg-orange-950 dark:text-orange-200 dark:ring-orange-400/40', dot: 'bg-orange-500' },
  neutral: { badge: 'bg-slate-100 text-slate-700 ring-slate-500/25 dark:bg-slate-800 dark:text-slate-300 dark:ring-slate-500/40', dot: 'bg-slate-400' },
};

const icons: Record<Tone, string> = { active: '●', waiting: '◷', good: '✓', bad: '✕', warn: '!', neutral: '–' };

/** A pill with a symbol and a word, so the state never depends on colour alone. */
export function StatusBadge({ label, tone, testId, title }: { label: string; tone: Tone; testId?: string; title?: string }) {
  const look = looks[tone];
  return (
    <span title={title} className={`inline-flex items-center gap-1.5 rounded-full px-2.5 py-0.5 text-xs font-semibold ring-1 ring-inset ${look.badge}`}>
      <span aria-hidden="true" className={`inline-flex size-3.5 items-center justify-center rounded-full text-[9px] leading-none text-white ${look.dot}`}>
        {icons[tone]}
      </span>
      <span data-testid={testId}>{label}</span>
    </span>
  );
}
