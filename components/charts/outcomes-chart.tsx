'use client';

import { Bar, BarChart, Tooltip, XAxis, YAxis } from 'recharts';
import type { ConnectorStats } from '@/lib/runs/stats';
import { ChartFrame, type ChartState } from './chart-frame';
import { axisTick, color, tooltipStyle } from './chart-theme';

const dayLabel = (day: string) => new Date(`${day}T12:00:00Z`).toLocaleDateString(undefined, { weekday: 'short', day: 'numeric' });

/** Outcomes per day: succeeded, failed (with interrupted), and the rest (cancelled, skipped). */
export function OutcomesChart({ stats, state }: { stats: ConnectorStats | null; state: ChartState }) {
  const data = (stats?.daily ?? []).map((d) => ({
    day: d.day,
    succeeded: d.byStatus.succeeded ?? 0,
    failed: (d.byStatus.failed ?? 0) + (d.byStatus.interrupted ?? 0),
    other: (d.byStatus.cancelled ?? 0) + (d.byStatus.skipped ?? 0),
  }));
  const rate = stats?.successRate;
  const summary = rate === null || rate === undefined ? undefined : `${Math.round(rate * 100)}% succeeded over ${stats?.days} days`;
  return (
    <ChartFrame title="Outcomes per day" summary={summary} state={state === 'ready' && data.length === 0 ? 'empty' : state} testId="chart-outcomes">
      <BarChart responsive maxBarSize={56} data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }} style={{ width: '100%', height: 208 }}>
        <XAxis dataKey="day" tickFormatter={dayLabel} tick={axisTick} stroke={color.grid} />
        <YAxis tick={axisTick} stroke={color.grid} width={40} allowDecimals={false} />
        <Tooltip {...tooltipStyle} cursor={{ fill: color.cursor }} labelFormatter={(label) => dayLabel(String(label))} />
        <Bar dataKey="succeeded" name="Succeeded" stackId="o" fill={color.ok} isAnimationActive={false} />
        <Bar dataKey="failed" name="Failed" stackId="o" fill={color.bad} isAnimationActive={false} />
        <Bar dataKey="other" name="Cancelled or skipped" stackId="o" fill={color.muted} radius={[2, 2, 0, 0]} isAnimationActive={false} />
      </BarChart>
    </ChartFrame>
  );
}
