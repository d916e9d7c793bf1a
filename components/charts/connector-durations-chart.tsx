'use client';

import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from 'recharts';
import type { OverviewStats } from '@/lib/overview-stats';
import { formatDuration } from '@/components/time/format';
import { ChartFrame, type ChartState } from './chart-frame';
import { axisTick, color, formatDurationTick, tooltipStyle } from './chart-theme';

/** How many connectors the chart shows: the slowest by p95. */
export const SLOWEST = 8;

const shorten = (name: string) => (name.length > 22 ? `${name.slice(0, 21)}…` : name);

/** p50 and p95 run duration of the slowest connectors over the stats window. */
export function ConnectorDurationsChart({ stats, state, names }: { stats: OverviewStats | null; state: ChartState; names: ReadonlyMap<string, string> }) {
  const data = (stats?.connectors ?? [])
    .filter((c) => c.p95Ms !== null && names.has(c.connectorId))
    .sort((a, b) => b.p95Ms! - a.p95Ms! || a.connectorId.localeCompare(b.connectorId))
    .slice(0, SLOWEST)
    .map((c) => ({ name: names.get(c.connectorId)!, p50: c.p50Ms, p95: c.p95Ms }));
  const measured = (stats?.connectors ?? []).filter((c) => c.p95Ms !== null).length;
  const summary = stats ? `Slowest ${data.length} of ${measured} connectors by p95 · last ${stats.window.days} days` : undefined;
  return (
    <ChartFrame title="Durations by connector" summary={summary} state={state === 'ready' && data.length === 0 ? 'empty' : state} testId="chart-connector-durations">
      <BarChart responsive layout="vertical" data={data} barGap={1} maxBarSize={10} margin={{ top: 0, right: 12, bottom: 0, left: 0 }} style={{ width: '100%', height: 208 }}>
        <CartesianGrid horizontal={false} stroke={color.grid} />
        <XAxis type="number" tickFormatter={(v: number) => formatDurationTick(v)} tick={axisTick} stroke={color.grid} />
        <YAxis type="category" dataKey="name" tickFormatter={shorten} tick={axisTick} stroke={color.grid} width={132} interval={0} />
        <Tooltip {...tooltipStyle} cursor={{ fill: color.cursor }} formatter={(value, name) => [formatDuration(Number(value)), name]} />
        <Legend iconType="circle" iconSize={8} wrapperStyle={{ fontSize: 12 }} />
        <Bar dataKey="p50" name="p50" fill={color.updated} radius={[0, 2, 2, 0]} isAnimationActive={false} />
        <Bar dataKey="p95" name="p95" fill={color.warn} radius={[0, 2, 2, 0]} isAnimationActive={false} />
      </BarChart>
    </ChartFrame>
  );
}
