import { json, parseQuery, route } from '@/lib/api/http';
import { canReadConnectors } from '@/lib/auth/permissions';
import { requireConnector } from '@/lib/connectors/service';
import { getConnectorStats } from '@/lib/runs/stats';
import { connectorStatsQuery } from './schema';

/** Durations (p50/p95), records per run, outcomes per day and failure streaks for the connector's charts. */
export const GET = route<{ id: string }>(canReadConnectors, async ({ req, runtime, params }) => {
  const { days } = parseQuery(req, connectorStatsQuery);
  await requireConnector(runtime, params.id);
  return json(await getConnectorStats({ db: runtime.db, connectorId: params.id, days }));
});
