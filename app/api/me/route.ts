import { json, route } from '@/lib/api/http';
import { actorLabel } from '@/lib/auth/actor';
import { canReadWall, permissionsOf } from '@/lib/auth/permissions';

/** Who is asking and what they may do; the UI hides what the role cannot do (the server still checks). */
export const GET = route(canReadWall, async ({ actor }) =>
  json({ kind: actor.kind, name: actor.name, label: actorLabel(actor), role: actor.role, can: permissionsOf(actor) }),
);
