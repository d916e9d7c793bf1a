import { json, route } from '@/lib/api/http';
import { canReadConnectors } from '@/lib/auth/permissions';
import { getOverview } from '@/lib/overview';

export const GET = route(canReadConnectors, async ({ runtime }) => json(await getOverview(runtime)));
