import { json, parseQuery, route } from '@/lib/api/http';
import { canReadMetrics } from '@/lib/auth/permissions';
import { getProcessMetrics } from '@/lib/metrics';
import { metricsQuery } from './schema';

/** Memory and uptime of the instance that answers (administrators only). */
export const GET = route(canReadMetrics, async ({ req, runtime }) => {
  const { gc } = parseQuery(req, metricsQuery);
  return json(getProcessMetrics(runtime, gc === 'true'));
});
