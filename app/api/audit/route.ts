import { json, parseQuery, route } from '@/lib/api/http';
import { listAudit, toAuditEntry } from '@/lib/audit/audit';
import { canReadAudit } from '@/lib/auth/permissions';
import { auditQuerySchema } from '@/lib/audit/schema';

/** The audit log, newest first; `next` is the `before` cursor of the following page. */
export const GET = route(canReadAudit, async ({ req, runtime }) => {
  const query = parseQuery(req, auditQuerySchema);
  const { entries, next } = await listAudit(runtime.db, query);
  return json({ entries: entries.map(toAuditEntry), next });
});
