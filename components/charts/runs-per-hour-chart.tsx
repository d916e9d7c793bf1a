'use client';

import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from 'recharts';
import type { OverviewStats } from '@/lib/overview-stats';
import { ChartFrame, type ChartState } from './chart-frame';
import { axisTick, color, tooltipStyle } from './chart-theme';

const hourLabel = (iso: string) => new Date(iso).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
const number = new Intl.NumberFormat('en-US');

/** Runs of every connector that ended in each hour, stacked by outcome. */
export function RunsPerHourChart({ stats, state }: { stats: OverviewStats | null; state: ChartState }) {
  const data = stats?.hourly ?? [];
  const total = data.reduce((sum, h) => sum + h.succeeded + h.failed + h.other, 0);
  const failed = data.reduce((sum, h) => sum + h.failed, 0);
  const summary = `${number.format(total)} runs in the last ${data.length} hours · ${number.format(failed)} failed`;
  return (
    <ChartFrame title="Runs per hour" summary={summary} state={state === 'ready' && total === 0 ? 'empty' : state} emptyText="No runs ended in the last day." testId="chart-runs-per-hour">
      <BarChart responsive maxBarSize={28} data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }} style={{ width: '100%', height: 208 }}>
        <CartesianGrid vertical={false} stroke={color.grid} />
        <XAxis dataKey="hour" tickFormatter={hourLabel} tick={axisTick} stroke={color.grid} minTickGap={24} />
        <YAxis tick={axisTick} stroke={color.grid} width={40} allowDecimals={false} tickFormatter={(v: number) => number.format(v)} />
        <Tooltip {...tooltipStyle} cursor={{ fill: color.cursor }} labelFormatter={(label) => hourLabel(String(label))} />
        <Legend itemSorter={null} iconType="circle" iconSize={8} wrapperStyle={{ fontSize: 12 }} />
        <Bar dataKey="succeeded" name="Succeeded" stackId="runs" fill={color.ok} isAnimationActive={false} />
        <Bar dataKey="failed" name="Failed" stackId="runs" fill={color.bad} isAnimationActive={false} />
        <Bar dataKey="other" name="Cancelled or skipped" stackId="runs" fill={color.muted} radius={[2, 2, 0, 0]} isAnimationActive={false} />
      </BarChart>
    </ChartFrame>
  );
}
