import { json, parseBody, route } from '@/lib/api/http';
import { canManageTokens } from '@/lib/auth/permissions';
import { issueToken } from '@/lib/auth/manage-tokens';
import { listTokens, newTokenSchema } from '@/lib/auth/tokens';

export const GET = route(canManageTokens, async ({ runtime }) => json({ tokens: await listTokens({ db: runtime.db }) }));

/** Creates a token; the answer is the only place its clear text ever appears. */
export const POST = route(canManageTokens, async ({ req, actor, runtime }) => {
  const input = await parseBody(req, newTokenSchema);
  const { token, record } = await issueToken({ db: runtime.db, actor, input });
  return json({ ...record, token }, { status: 201 });
});
