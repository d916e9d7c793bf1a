import type { Db } from 'mongodb';
import { listTokens } from '@/lib/auth/tokens';
import { listConnectors } from '@/lib/connectors/store';
import { listUsers } from '@/lib/users/users';

/**
 * Readable names for audit targets, keyed `<type>:<id>` (users by email, tokens and connectors by name), so the log
 * shows "ops wall" instead of an id. Deleted targets have no name and show their id.
 */
export async function getAuditTargetNames(db: Db): Promise<Record<string, string>> {
  const [users, tokens, connectors] = await Promise.all([listUsers({ db }), listTokens({ db }), listConnectors({ db })]);
  return Object.fromEntries([
    ...users.map((u) => [`user:${u.id}`, u.email] as const),
    ...tokens.map((t) => [`token:${t.id}`, t.name] as const),
    ...connectors.map((c) => [`connector:${c._id}`, c.name] as const),
  ]);
}
