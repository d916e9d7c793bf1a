import { json, route } from '@/lib/api/http';
import { canToggleConnector } from '@/lib/auth/permissions';
import { setEnabled } from '@/lib/connectors/service';

export const POST = route<{ id: string }>(canToggleConnector, async ({ actor, runtime, params }) => json(await setEnabled(runtime, params.id, false, actor)));
