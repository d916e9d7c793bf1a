import { json, route } from '@/lib/api/http';
import { canReadConnectors } from '@/lib/auth/permissions';
import { getStatus } from '@/lib/connectors/service';

export const GET = route<{ id: string }>(canReadConnectors, async ({ runtime, params }) => json(await getStatus(runtime, params.id)));
