import { z } from 'zod';

/** `GET /api/metrics` query: `gc=true` collects garbage first (when Node runs with --expose-gc). */
export const metricsQuery = z.strictObject({
  gc: z.enum(['true', 'false'], { error: 'must be true or false' }).default('false'),
});
