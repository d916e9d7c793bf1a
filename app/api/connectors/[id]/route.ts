import { json, parseBody, route } from '@/lib/api/http';
import { canEditConnector, canReadConnectors } from '@/lib/auth/permissions';
import { connectorSchemasFor } from '@/lib/connectors/schema';
import { changeConnector, removeConnector, requireConnector } from '@/lib/connectors/service';
import { toConnector } from '@/lib/connectors/store';

type Params = { id: string };

export const GET = route<Params>(canReadConnectors, async ({ runtime, params }) => json(toConnector(await requireConnector(runtime, params.id))));

export const PATCH = route<Params>(canEditConnector, async ({ req, actor, runtime, params }) => {
  const patch = await parseBody(req, connectorSchemasFor(runtime.config.intervalBounds).patch);
  return json(await changeConnector(runtime, params.id, patch, actor));
});

export const DELETE = route<Params>(canEditConnector, async ({ actor, runtime, params }) => {
  await removeConnector(runtime, params.id, actor);
  return new Response(null, { status: 204 });
});
