import { json, route } from '@/lib/api/http';
import { canReadConnectors } from '@/lib/auth/permissions';
import { getSchedulerView } from '@/lib/scheduling/service';

export const GET = route(canReadConnectors, async ({ runtime }) => json(await getSchedulerView(runtime)));
