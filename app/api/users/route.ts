import { json, parseBody, route } from '@/lib/api/http';
import { canManageUsers } from '@/lib/auth/permissions';
import { addUser } from '@/lib/users/manage';
import { listUsers, newUserSchema } from '@/lib/users/users';

export const GET = route(canManageUsers, async ({ runtime }) => json({ users: await listUsers({ db: runtime.db }) }));

export const POST = route(canManageUsers, async ({ req, actor, runtime }) => {
  const input = await parseBody(req, newUserSchema);
  return json(await addUser({ db: runtime.db, actor, input }), { status: 201 });
});
