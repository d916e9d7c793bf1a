import { json, parseQuery, route } from '@/lib/api/http';
import { canReadConnectors } from '@/lib/auth/permissions';
import { overviewStatsOf } from '@/lib/overview-stats';
import { overviewStatsQuery } from './schema';

/** Success rate, durations and sparkline per connector, and runs per hour by outcome, for the overview. */
export const GET = route(canReadConnectors, async ({ req, runtime }) => {
  const query = parseQuery(req, overviewStatsQuery);
  const now = new Date();
  const { runs, truncated } = await runtime.finishedRuns.snapshot(now);
  return json(overviewStatsOf(runs, { ...query, now, truncated }));
});
