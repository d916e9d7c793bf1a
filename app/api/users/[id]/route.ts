import { json, parseBody, route } from '@/lib/api/http';
import { canManageUsers } from '@/lib/auth/permissions';
import { changeUser, userPatchSchema } from '@/lib/users/manage';

/** Changes a user's name, role, disabled flag or password; refuses to leave the installation without an admin. */
export const PATCH = route<{ id: string }>(canManageUsers, async ({ req, actor, runtime, params }) => {
  const patch = await parseBody(req, userPatchSchema);
  return json(await changeUser({ db: runtime.db, actor, id: params.id, patch }));
});
