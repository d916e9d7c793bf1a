import { json, route } from '@/lib/api/http';
import { canReadWall } from '@/lib/auth/permissions';
import { getStatus } from '@/lib/connectors/service';

export const GET = route<{ id: string }>(canReadWall, async ({ runtime, params }) => json(await getStatus(runtime, params.id)));
