import { json, route } from '@/lib/api/http';
import { canReadConnectors } from '@/lib/auth/permissions';
import { requireRun } from '@/lib/connectors/service';
import { toRun } from '@/lib/runs/store';

export const GET = route<{ id: string }>(canReadConnectors, async ({ runtime, params }) => json(toRun(await requireRun(runtime, params.id), true)));
