import { json, route } from '@/lib/api/http';
import { canReadWall } from '@/lib/auth/permissions';
import { getOverview } from '@/lib/overview';

export const GET = route(canReadWall, async ({ runtime }) => json(await getOverview(runtime)));
