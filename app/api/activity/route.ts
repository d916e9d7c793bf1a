import { json, parseQuery, route } from '@/lib/api/http';
import { canReadWall } from '@/lib/auth/permissions';
import { getActivity } from '@/lib/runs/activity';
import { activityQuery } from './schema';

/** Outcomes per hour and durations per connector across all connectors (the wall screen's charts). */
export const GET = route(canReadWall, async ({ req, runtime }) => {
  const { hours } = parseQuery(req, activityQuery);
  return json(await getActivity({ db: runtime.db, hours }));
});
