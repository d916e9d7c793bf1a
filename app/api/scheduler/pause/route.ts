import { json, route } from '@/lib/api/http';
import { canControlScheduler } from '@/lib/auth/permissions';
import { setPaused } from '@/lib/scheduling/service';

export const POST = route(canControlScheduler, async ({ runtime, actor }) => json(await setPaused(runtime, true, actor)));
