'use client';

import { Bar, BarChart, CartesianGrid, XAxis, YAxis } from 'recharts';
import { color, formatDurationTick } from './chart-theme';

export interface WallDuration {
  name: string;
  p50Ms: number | null;
  p95Ms: number | null;
}

const label = (name: string) => (name.length > 22 ? `${name.slice(0, 21)}…` : name);

/** Run durations per connector, median beside 95th percentile, one row each; sized by its parent (`remPx` sizes the axes to the root font). */
export function WallDurationsChart({ rows, remPx = 16 }: { rows: WallDuration[]; remPx?: number }) {
  const tick = { fill: color.axis, fontSize: '0.85rem' };
  const data = rows.map((r) => ({ name: label(r.name), p50: r.p50Ms ?? 0, p95: r.p95Ms ?? 0 }));
  return (
    <BarChart responsive layout="vertical" data={data} margin={{ top: 4, right: 16, bottom: 0, left: 0 }} style={{ width: '100%', height: '100%' }} barCategoryGap="20%">
      <CartesianGrid horizontal={false} stroke={color.grid} />
      <XAxis type="number" tickFormatter={formatDurationTick} tick={tick} stroke={color.grid} height={2 * remPx} />
      <YAxis type="category" dataKey="name" tick={tick} stroke={color.grid} width={11 * remPx} interval={0} />
      <Bar dataKey="p50" name="Median" fill={color.updated} radius={[0, 3, 3, 0]} isAnimationActive={false} />
      <Bar dataKey="p95" name="95th percentile" fill={color.created} radius={[0, 3, 3, 0]} isAnimationActive={false} />
    </BarChart>
  );
}
