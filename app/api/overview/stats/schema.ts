import { z } from 'zod';

const whole = (name: string, min: number, max: number, fallback: number) =>
  z.coerce
    .number({ error: 'must be a number' })
    .int({ error: 'must be a whole number' })
    .min(min, { error: `must be at least ${min}` })
    .max(max, { error: `must be at most ${max}` })
    .default(fallback)
    .describe(name);

/** `GET /api/overview/stats` query: the window of the success rates and durations, the hourly chart, the sparkline. */
export const overviewStatsQuery = z.strictObject({
  days: whole('days of runs behind success rates and durations', 1, 30, 7),
  hours: whole('hours in the runs-per-hour chart', 1, 168, 24),
  sparkline: whole('latest runs per connector in the duration sparkline', 1, 100, 20),
});
export type OverviewStatsQuery = z.output<typeof overviewStatsQuery>;
