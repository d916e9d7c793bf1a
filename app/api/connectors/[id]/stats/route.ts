import { z } from 'zod';
import { json, parseQuery, route } from '@/lib/api/http';
import { canReadConnectors } from '@/lib/auth/permissions';
import { requireConnector } from '@/lib/connectors/service';
import { getConnectorStats } from '@/lib/runs/stats';

const querySchema = z.strictObject({
  days: z.coerce.number({ error: 'must be a number' }).int({ error: 'must be a whole number' }).min(1, { error: 'must be at least 1' }).max(365, { error: 'must be at most 365' }).default(7),
});

/** Durations (p50/p95), records per run, outcomes per day and failure streaks for the connector's charts. */
export const GET = route<{ id: string }>(canReadConnectors, async ({ req, runtime, params }) => {
  const { days } = parseQuery(req, querySchema);
  await requireConnector(runtime, params.id);
  return json(await getConnectorStats({ db: runtime.db, connectorId: params.id, days }));
});
