'use client';

import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from 'recharts';
import type { ConnectorStats } from '@/lib/runs/stats';
import { ChartFrame, type ChartState } from './chart-frame';
import { axisTick, color, formatTick, tooltipStyle } from './chart-theme';
import { LAST_RUNS } from './durations-chart';

const number = new Intl.NumberFormat('en-US');

/** Records written per run, stacked: created, updated, failed. */
export function RecordsChart({ stats, state }: { stats: ConnectorStats | null; state: ChartState }) {
  const data = (stats?.runs ?? [])
    .filter((r) => r.status !== 'skipped')
    .slice(-LAST_RUNS)
    .map((r) => ({ id: r.id, at: r.at, created: r.counts.created, updated: r.counts.updated, failed: r.counts.failed }));
  const total = data.reduce((sum, r) => sum + r.created + r.updated, 0);
  const failed = data.reduce((sum, r) => sum + r.failed, 0);
  const summary = `Last ${data.length} runs · ${number.format(total)} written · ${number.format(failed)} failed`;
  return (
    <ChartFrame title="Records per run" summary={summary} state={state === 'ready' && data.length === 0 ? 'empty' : state} testId="chart-records">
      <BarChart responsive maxBarSize={32} data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }} style={{ width: '100%', height: 208 }}>
        <CartesianGrid vertical={false} stroke={color.grid} />
        <XAxis dataKey="at" tickFormatter={formatTick} tick={axisTick} stroke={color.grid} minTickGap={40} />
        <YAxis tick={axisTick} stroke={color.grid} width={48} allowDecimals={false} tickFormatter={(v: number) => number.format(v)} />
        <Tooltip {...tooltipStyle} cursor={{ fill: color.cursor }} labelFormatter={(label) => formatTick(String(label))} />
        <Legend itemSorter={null} iconType="circle" iconSize={8} wrapperStyle={{ fontSize: 12 }} />
        <Bar dataKey="created" name="Created" stackId="records" fill={color.created} isAnimationActive={false} />
        <Bar dataKey="updated" name="Updated" stackId="records" fill={color.updated} isAnimationActive={false} />
        <Bar dataKey="failed" name="Failed" stackId="records" fill={color.bad} radius={[2, 2, 0, 0]} isAnimationActive={false} />
      </BarChart>
    </ChartFrame>
  );
}
