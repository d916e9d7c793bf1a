import { json, route } from '@/lib/api/http';
import { canManageTokens } from '@/lib/auth/permissions';
import { withdrawToken } from '@/lib/auth/manage-tokens';

/** Revokes a token at once; it stays listed as revoked. */
export const DELETE = route<{ id: string }>(canManageTokens, async ({ actor, runtime, params }) =>
  json(await withdrawToken({ db: runtime.db, actor, id: params.id })),
);
