import { json, route } from '@/lib/api/http';
import { canCancelRun } from '@/lib/auth/permissions';
import { cancelRun } from '@/lib/connectors/service';

export const POST = route<{ id: string }>(canCancelRun, async ({ actor, runtime, params }) =>
  json(await cancelRun(runtime, params.id, actor), { status: 202 }),
);
