import { json, route } from '@/lib/api/http';
import { buildOpenApi } from '@/lib/api/openapi/document';
import { canReadConnectors } from '@/lib/auth/permissions';

export const GET = route(canReadConnectors, async ({ req }) => json(buildOpenApi(new URL(req.url).origin)));
