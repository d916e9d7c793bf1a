import { z } from 'zod';

/** `GET /api/connectors/{id}/stats` query: how many days the charts cover. */
export const connectorStatsQuery = z.strictObject({
  days: z.coerce.number({ error: 'must be a number' }).int({ error: 'must be a whole number' }).min(1, { error: 'must be at least 1' }).max(365, { error: 'must be at most 365' }).default(7),
});
