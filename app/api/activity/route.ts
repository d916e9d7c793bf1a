import { z } from 'zod';
import { json, parseQuery, route } from '@/lib/api/http';
import { canReadWall } from '@/lib/auth/permissions';
import { getActivity } from '@/lib/runs/activity';

const querySchema = z.strictObject({
  hours: z.coerce.number({ error: 'must be a number' }).int({ error: 'must be a whole number' }).min(1, { error: 'must be at least 1' }).max(168, { error: 'must be at most 168' }).default(24),
});

/** Outcomes per hour and durations per connector across all connectors (the wall screen's charts). */
export const GET = route(canReadWall, async ({ req, runtime }) => {
  const { hours } = parseQuery(req, querySchema);
  return json(await getActivity({ db: runtime.db, hours }));
});
