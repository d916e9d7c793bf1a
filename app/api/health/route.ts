import { getRuntime } from '@/lib/runtime';

export const dynamic = 'force-dynamic';

/**
 * Public and minimal: `ok` when the database answers, `degraded` otherwise, with what is wrong in fixed words (no
 * addresses or internals). Read from the state a background pinger keeps, so it answers at once even while the
 * database is stalled or down.
 */
export async function GET(): Promise<Response> {
  const { status, since, error } = getRuntime().databaseState();
  const ok = status === 'ok';
  return Response.json(
    { status: ok ? 'ok' : 'degraded', database: { status, since: since.toISOString(), ...(error ? { error } : {}) } },
    { status: ok ? 200 : 503, headers: { 'cache-control': 'no-store' } },
  );
}
