import { json, parseQuery, route } from '@/lib/api/http';
import { canRunConnector } from '@/lib/auth/permissions';
import { requireRun, startRun } from '@/lib/connectors/service';
import { toRun } from '@/lib/runs/store';
import { runNowQuery } from './schema';

/** Starts a manual run: 202 with its id, or with `?wait=true` 200 with the finished run (like a `/sync/now`). */
export const POST = route<{ id: string }>(canRunConnector, async ({ req, actor, runtime, params }) => {
  const query = parseQuery(req, runNowQuery);
  const { runId } = await startRun(runtime, params.id, actor);
  if (query.wait !== 'true') return json({ runId }, { status: 202, headers: { location: `/api/runs/${encodeURIComponent(runId)}` } });
  await runtime.scheduler.waitForRun(runId, query.timeout * 1000);
  const run = await requireRun(runtime, runId);
  return json(toRun(run, true), { status: run.status === 'running' || run.status === 'queued' ? 202 : 200 });
});
