import { setTimeout as sleep } from 'node:timers/promises';
import { ApiError, json, parseQuery } from '@/lib/api/http';
import { getRuntime } from '@/lib/runtime';
import { answerDemoSource, demoSourceQuerySchema } from './customers';
import { DEMO_KEY_HEADER, isDemoSourceKey } from './key';

/**
 * `GET /api/demo-source/customers`: the demo upstream the seeded demo connector pulls from. It answers only with
 * the demo key (401 otherwise, before anything else is looked at, like every other API route), only when demo mode is on (SYNCDECK_DEMO), and
 * only with generated records: it reads nothing from the database but the key's hash.
 */
export async function serveDemoCustomers(req: Request): Promise<Response> {
  const runtime = getRuntime();
  try {
    if (!(await isDemoSourceKey({ db: runtime.db, presented: req.headers.get(DEMO_KEY_HEADER) }))) {
      throw new ApiError('unauthorized', `The demo source needs its API key in the ${DEMO_KEY_HEADER} header (the demo connector holds it as its apiKey secret)`);
    }
    if (!runtime.config.demo.enabled) throw new ApiError('not_found', 'The demo source is off (SYNCDECK_DEMO=false)');
    const query = parseQuery(req, demoSourceQuerySchema);
    const answer = answerDemoSource(query, Date.now());
    if (answer.kind !== 'page') {
      // The one error shape, like every other route: rate_limited (429) or unavailable (503).
      const refusal = new ApiError(answer.kind === 'throttled' ? 'rate_limited' : 'unavailable', answer.message);
      return json(refusal.toBody(), { status: refusal.status, headers: { 'retry-after': String(answer.retryAfterS) } });
    }
    if (answer.delayMs > 0) await sleep(answer.delayMs, undefined, { signal: req.signal }).catch(() => undefined);
    return json(answer.body);
  } catch (error) {
    if (error instanceof ApiError) return json(error.toBody(), { status: error.status });
    runtime.logger.error({ err: error }, 'demo source request failed');
    return json(new ApiError('internal', 'Internal error; the server log has the details').toBody(), { status: 500 });
  }
}
