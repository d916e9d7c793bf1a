'use client';

import { Bar, BarChart, CartesianGrid, XAxis, YAxis } from 'recharts';
import type { HourOutcomes } from '@/lib/runs/activity';
import { color } from './chart-theme';

const hourLabel = (iso: string) => new Date(iso).toLocaleTimeString(undefined, { hour: 'numeric' });
/** About this many hour labels along the axis, whatever the width. */
const LABELS = 6;

/**
 * Runs per hour stacked by outcome (succeeded, failed, cancelled or skipped), sized by its parent. Text sizes are
 * in rem so the chart grows with screens that scale the root font (the wall); `remPx` sizes the axes to match.
 */
export function HourlyOutcomesChart({ hourly, remPx = 16 }: { hourly: HourOutcomes[]; remPx?: number }) {
  const tick = { fill: color.axis, fontSize: '0.85rem' };
  return (
    <BarChart responsive data={hourly} margin={{ top: 0.6 * remPx, right: 0.5 * remPx, bottom: 0, left: 0 }} style={{ width: '100%', height: '100%' }} barCategoryGap="12%">
      <CartesianGrid vertical={false} stroke={color.grid} />
      <XAxis dataKey="hour" tickFormatter={hourLabel} tick={tick} stroke={color.grid} interval={Math.max(0, Math.ceil(hourly.length / LABELS) - 1)} tickMargin={0.4 * remPx} height={2.4 * remPx} />
      <YAxis tick={tick} stroke={color.grid} width={3 * remPx} allowDecimals={false} />
      <Bar dataKey="succeeded" name="Succeeded" stackId="o" fill={color.ok} isAnimationActive={false} />
      <Bar dataKey="failed" name="Failed" stackId="o" fill={color.bad} isAnimationActive={false} />
      <Bar dataKey="other" name="Cancelled or skipped" stackId="o" fill={color.muted} radius={[3, 3, 0, 0]} isAnimationActive={false} />
    </BarChart>
  );
}
