import type { RunStatus } from '@/lib/domain/run';
import { formatDuration } from '@/components/time/format';

const WIDTH = 120;
const HEIGHT = 28;
const GAP = 1;

const fill = (status: RunStatus) =>
  status === 'succeeded' ? 'fill-emerald-500 dark:fill-emerald-400' : status === 'failed' || status === 'interrupted' ? 'fill-red-500 dark:fill-red-400' : 'fill-slate-400 dark:fill-slate-500';

/**
 * The durations of a connector's latest runs as tiny bars coloured by outcome (oldest left). Plain SVG rather than
 * a chart library: hundreds of them render on the overview at once.
 */
export function DurationSparkline({ runs, slots }: { runs: ReadonlyArray<{ status: RunStatus; durationMs: number }>; slots: number }) {
  if (runs.length === 0) return <span className="text-xs text-slate-400 dark:text-slate-500">no runs</span>;
  const max = Math.max(...runs.map((r) => r.durationMs), 1);
  const width = WIDTH / Math.max(slots, runs.length);
  const offset = WIDTH - width * runs.length;
  const last = runs.at(-1)!;
  const label = `Durations of the last ${runs.length} runs, longest ${formatDuration(max)}, latest ${formatDuration(last.durationMs)}`;
  return (
    <svg data-testid="duration-sparkline" role="img" aria-label={label} viewBox={`0 0 ${WIDTH} ${HEIGHT}`} width={WIDTH} height={HEIGHT} className="block shrink-0">
      <title>{label}</title>
      <line x1={0} x2={WIDTH} y1={HEIGHT - 0.5} y2={HEIGHT - 0.5} className="stroke-slate-200 dark:stroke-slate-700" strokeWidth={1} />
      {runs.map((run, i) => {
        const h = Math.max(2, Math.round((run.durationMs / max) * (HEIGHT - 2)));
        return <rect key={i} x={offset + i * width + GAP / 2} y={HEIGHT - h} width={Math.max(1, width - GAP)} height={h} rx={1} className={fill(run.status)} />;
      })}
    </svg>
  );
}
