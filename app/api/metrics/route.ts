import { z } from 'zod';
import { json, parseQuery, route } from '@/lib/api/http';
import { canReadMetrics } from '@/lib/auth/permissions';
import { getProcessMetrics } from '@/lib/metrics';

const querySchema = z.strictObject({
  gc: z.enum(['true', 'false'], { error: 'must be true or false' }).default('false'),
});

/** Memory and uptime of the instance that answers (administrators only). */
export const GET = route(canReadMetrics, async ({ req, runtime }) => {
  const { gc } = parseQuery(req, querySchema);
  return json(getProcessMetrics(runtime, gc === 'true'));
});
