import type { CSSProperties } from 'react';

/**
 * Chart colours as CSS variables set on each chart's frame, so one chart follows light and dark mode without
 * JavaScript. Recharts takes them as `var(--chart-…)` in fills and strokes.
 */
export const chartVars = [
  '[--chart-ok:#10b981] dark:[--chart-ok:#34d399]',
  '[--chart-bad:#ef4444] dark:[--chart-bad:#f87171]',
  '[--chart-warn:#f59e0b] dark:[--chart-warn:#fbbf24]',
  '[--chart-muted:#94a3b8] dark:[--chart-muted:#64748b]',
  '[--chart-created:#6366f1] dark:[--chart-created:#818cf8]',
  '[--chart-updated:#0ea5e9] dark:[--chart-updated:#38bdf8]',
  '[--chart-grid:#e2e8f0] dark:[--chart-grid:#1e293b]',
  '[--chart-axis:#64748b] dark:[--chart-axis:#94a3b8]',
  '[--chart-ref:#334155] dark:[--chart-ref:#cbd5e1]',
  '[--chart-tip-bg:#ffffff] dark:[--chart-tip-bg:#0f172a]',
  '[--chart-tip-border:#e2e8f0] dark:[--chart-tip-border:#334155]',
  '[--chart-cursor:#f1f5f9] dark:[--chart-cursor:#1e293b]',
].join(' ');

export const color = {
  ok: 'var(--chart-ok)',
  bad: 'var(--chart-bad)',
  warn: 'var(--chart-warn)',
  muted: 'var(--chart-muted)',
  created: 'var(--chart-created)',
  updated: 'var(--chart-updated)',
  grid: 'var(--chart-grid)',
  axis: 'var(--chart-axis)',
  ref: 'var(--chart-ref)',
  cursor: 'var(--chart-cursor)',
} as const;

export const axisTick = { fill: color.axis, fontSize: 11 };

export const tooltipStyle: { contentStyle: CSSProperties; labelStyle: CSSProperties; itemStyle: CSSProperties } = {
  contentStyle: { background: 'var(--chart-tip-bg)', border: '1px solid var(--chart-tip-border)', borderRadius: 8, fontSize: 12, boxShadow: '0 4px 12px rgb(0 0 0 / 0.12)' },
  labelStyle: { color: 'var(--chart-axis)', marginBottom: 4 },
  itemStyle: { padding: 0 },
};

/** "Mar 5, 14:03" in the reader's zone, for axis ticks and tooltips. */
export const formatTick = (iso: string) => new Date(iso).toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });

/** Short durations for axis ticks: "800ms", "45s", "1m30s", "2h5m". */
export function formatDurationTick(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return s % 60 ? `${Math.floor(s / 60)}m${s % 60}s` : `${s / 60}m`;
  const m = Math.round(s / 60);
  return m % 60 ? `${Math.floor(m / 60)}h${m % 60}m` : `${m / 60}h`;
}
