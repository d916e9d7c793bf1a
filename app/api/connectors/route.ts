import { json, parseBody, route } from '@/lib/api/http';
import { canEditConnector, canReadConnectors } from '@/lib/auth/permissions';
import { connectorSchemasFor } from '@/lib/connectors/schema';
import { addConnector } from '@/lib/connectors/service';
import { listConnectors, toConnector } from '@/lib/connectors/store';

export const GET = route(canReadConnectors, async ({ runtime }) =>
  json({ connectors: (await listConnectors({ db: runtime.db })).map(toConnector) }),
);

export const POST = route(canEditConnector, async ({ req, actor, runtime }) => {
  const input = await parseBody(req, connectorSchemasFor(runtime.config.intervalBounds).create);
  return json(await addConnector(runtime, input, actor), { status: 201 });
});
