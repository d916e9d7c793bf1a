import { json, parseQuery, route } from '@/lib/api/http';
import { canReadConnectors } from '@/lib/auth/permissions';
import { listRuns, toRun } from '@/lib/runs/store';
import { runsQuery } from './schema';

/** Run history, newest first, one page at a time: pass `next` back as `before`; `after` keeps runs queued from then on. */
export const GET = route(canReadConnectors, async ({ req, runtime }) => {
  const query = parseQuery(req, runsQuery);
  const page = await listRuns({ db: runtime.db, query });
  return json({ runs: page.runs.map((r) => toRun(r)), next: page.next });
});
