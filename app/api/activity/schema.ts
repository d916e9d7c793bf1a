import { z } from 'zod';

/** `GET /api/activity` query: how many hours the wall charts cover. */
export const activityQuery = z.strictObject({
  hours: z.coerce.number({ error: 'must be a number' }).int({ error: 'must be a whole number' }).min(1, { error: 'must be at least 1' }).max(168, { error: 'must be at most 168' }).default(24),
});
