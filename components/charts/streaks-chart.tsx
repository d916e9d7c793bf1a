'use client';

import { Area, AreaChart, CartesianGrid, Tooltip, XAxis, YAxis } from 'recharts';
import type { ConnectorStats } from '@/lib/runs/stats';
import { ChartFrame, type ChartState } from './chart-frame';
import { axisTick, color, formatTick, tooltipStyle } from './chart-theme';

/** Consecutive failures after each run over the period: every climb is an outage, every drop to zero a recovery. */
export function StreaksChart({ stats, state }: { stats: ConnectorStats | null; state: ChartState }) {
  const data = (stats?.runs ?? []).map((r) => ({ id: r.id, at: r.at, streak: r.failureStreak }));
  const summary = stats ? `Now ${stats.streaks.current} in a row · longest ${stats.streaks.longest} in ${stats.days} days` : undefined;
  return (
    <ChartFrame title="Failure streaks" summary={summary} state={state === 'ready' && data.length === 0 ? 'empty' : state} testId="chart-streaks">
      <AreaChart responsive data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }} style={{ width: '100%', height: 208 }}>
        <CartesianGrid vertical={false} stroke={color.grid} />
        <XAxis dataKey="at" tickFormatter={formatTick} tick={axisTick} stroke={color.grid} minTickGap={40} />
        <YAxis tick={axisTick} stroke={color.grid} width={32} allowDecimals={false} />
        <Tooltip {...tooltipStyle} labelFormatter={(label) => formatTick(String(label))} formatter={(value) => [value, 'Failures in a row']} />
        <Area type="stepAfter" dataKey="streak" name="Failures in a row" stroke={color.bad} fill={color.bad} fillOpacity={0.18} strokeWidth={1.5} isAnimationActive={false} />
      </AreaChart>
    </ChartFrame>
  );
}
