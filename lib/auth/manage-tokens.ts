import type { Db } from 'mongodb';
import { DomainError } from '@/lib/domain/errors';
import { recordAudit } from '@/lib/audit/audit';
import { auditActorLabel, type AuditActor } from '@/lib/audit/actor';
import { createToken, getToken, revokeToken, type ApiToken, type NewToken } from './tokens';

/**
 * API and display token administration as the API and the CLI invoke it; every change lands in the audit log.
 * The log keeps the token's name, role and hint, never the token or its hash.
 */

const snapshot = (token: ApiToken) => ({ name: token.name, role: token.role, hint: token.hint, revoked: token.revokedAt !== undefined });

/** Creates a token (shown once in the answer) and records `token.create`. */
export async function issueToken({ db, actor, input }: { db: Db; actor: AuditActor; input: NewToken }): Promise<{ token: string; record: ApiToken }> {
  const created = await createToken({ db, input, createdBy: auditActorLabel(actor) });
  await recordAudit(db, { actor, action: 'token.create', target: { type: 'token', id: created.record.id }, after: snapshot(created.record) });
  return created;
}

/** Revokes a token and records `token.revoke`; 404 for an unknown id, 409 when it is already revoked. */
export async function withdrawToken({ db, actor, id }: { db: Db; actor: AuditActor; id: string }): Promise<ApiToken> {
  const before = await getToken({ db, id });
  if (!before) throw new DomainError('not_found', `No token with id ${id}`);
  if (before.revokedAt || !(await revokeToken({ db, id, revokedBy: auditActorLabel(actor) }))) {
    throw new DomainError('conflict', `Token ${before.name} is already revoked`);
  }
  const after = (await getToken({ db, id }))!;
  await recordAudit(db, { actor, action: 'token.revoke', target: { type: 'token', id }, before: snapshot(before), after: snapshot(after) });
  return after;
}
