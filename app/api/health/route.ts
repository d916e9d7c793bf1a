import { getRuntime } from '@/lib/runtime';

export const dynamic = 'force-dynamic';

/** Public and minimal: `ok` when the database answers, `degraded` otherwise. No internals. */
export async function GET(): Promise<Response> {
  const db = await getRuntime().dbHealth();
  return Response.json({ status: db.ok ? 'ok' : 'degraded' }, { status: db.ok ? 200 : 503, headers: { 'cache-control': 'no-store' } });
}
