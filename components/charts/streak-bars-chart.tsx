'use client';

import { Bar, BarChart, CartesianGrid, Cell, XAxis, YAxis } from 'recharts';
import { color } from './chart-theme';

export interface ConnectorStreak {
  name: string;
  current: number;
  longest: number;
}

const label = (name: string) => (name.length > 22 ? `${name.slice(0, 21)}…` : name);

/** Failures in a row now (red while above zero) beside the longest streak, one row per connector; sized by its parent (`remPx` sizes the axes to the root font). */
export function StreakBarsChart({ rows, remPx = 16 }: { rows: ConnectorStreak[]; remPx?: number }) {
  const tick = { fill: color.axis, fontSize: '0.85rem' };
  const data = rows.map((r) => ({ name: label(r.name), current: r.current, longest: r.longest }));
  return (
    <BarChart responsive layout="vertical" data={data} margin={{ top: 4, right: 16, bottom: 0, left: 0 }} style={{ width: '100%', height: '100%' }} barCategoryGap="20%">
      <CartesianGrid horizontal={false} stroke={color.grid} />
      <XAxis type="number" tick={tick} stroke={color.grid} allowDecimals={false} height={2 * remPx} />
      <YAxis type="category" dataKey="name" tick={tick} stroke={color.grid} width={11 * remPx} interval={0} />
      <Bar dataKey="current" name="Now" radius={[0, 3, 3, 0]} isAnimationActive={false}>
        {data.map((d) => (
          <Cell key={d.name} fill={d.current > 0 ? color.bad : color.ok} />
        ))}
      </Bar>
      <Bar dataKey="longest" name="Longest" fill={color.muted} radius={[0, 3, 3, 0]} isAnimationActive={false} />
    </BarChart>
  );
}
