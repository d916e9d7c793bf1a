'use client';

import { Bar, BarChart, CartesianGrid, Cell, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import type { ConnectorStats } from '@/lib/runs/stats';
import { formatDuration } from '@/components/time/format';
import { ChartFrame, type ChartState } from './chart-frame';
import { axisTick, color, formatDurationTick, formatTick, tooltipStyle } from './chart-theme';

/** How many of the latest runs the per-run charts show. */
export const LAST_RUNS = 60;

const statusColor = (status: string) => (status === 'succeeded' ? color.ok : status === 'failed' || status === 'interrupted' ? color.bad : color.muted);

/** Run durations of the latest runs, coloured by outcome, with the period's p50 and p95 as lines. */
export function DurationsChart({ stats, state }: { stats: ConnectorStats | null; state: ChartState }) {
  const data = (stats?.runs ?? []).filter((r) => r.durationMs !== null).slice(-LAST_RUNS);
  const { p50Ms, p95Ms } = stats?.durations ?? { p50Ms: null, p95Ms: null };
  const summary = p50Ms !== null && p95Ms !== null ? `Last ${data.length} runs · p50 ${formatDuration(p50Ms)} · p95 ${formatDuration(p95Ms)}` : undefined;
  return (
    <ChartFrame title="Run durations" summary={summary} state={state === 'ready' && data.length === 0 ? 'empty' : state} testId="chart-durations">
      <BarChart responsive data={data} margin={{ top: 8, right: 44, bottom: 0, left: 0 }} style={{ width: '100%', height: 208 }}>
        <CartesianGrid vertical={false} stroke={color.grid} />
        <XAxis dataKey="at" tickFormatter={formatTick} tick={axisTick} stroke={color.grid} minTickGap={40} />
        <YAxis tickFormatter={(v: number) => formatDurationTick(v)} tick={axisTick} stroke={color.grid} width={48} />
        <Tooltip
          {...tooltipStyle}
          cursor={{ fill: color.cursor }}
          labelFormatter={(label) => formatTick(String(label))}
          formatter={(value) => [formatDuration(Number(value)), 'Duration']}
        />
        <Bar dataKey="durationMs" name="Duration" radius={[2, 2, 0, 0]} maxBarSize={32} isAnimationActive={false}>
          {data.map((point) => (
            <Cell key={point.id} fill={statusColor(point.status)} />
          ))}
        </Bar>
        {p50Ms !== null ? <ReferenceLine y={p50Ms} stroke={color.ref} strokeDasharray="4 3" label={{ value: 'p50', position: 'right', fill: color.axis, fontSize: 11 }} /> : null}
        {p95Ms !== null ? <ReferenceLine y={p95Ms} stroke={color.warn} strokeDasharray="4 3" label={{ value: 'p95', position: 'right', fill: color.warn, fontSize: 11 }} /> : null}
      </BarChart>
    </ChartFrame>
  );
}
