import { auditTargetTypes } from '@/lib/audit/schema';

/** The audit log's filters as they live in the page URL (and go to `GET /api/audit`). */
export interface AuditFilter {
  targetType?: (typeof auditTargetTypes)[number];
  targetId?: string;
  actor?: string;
  action?: string;
}

const keys = ['targetType', 'targetId', 'actor', 'action'] as const;

export function auditFilterFromParams(params: URLSearchParams): { filter: AuditFilter; before: string | null } {
  const filter: AuditFilter = {};
  for (const key of keys) {
    const value = params.get(key)?.trim();
    if (!value) continue;
    if (key === 'targetType') {
      if ((auditTargetTypes as readonly string[]).includes(value)) filter.targetType = value as AuditFilter['targetType'];
    } else filter[key] = value;
  }
  return { filter, before: params.get('before') };
}

export function auditFilterToParams(filter: AuditFilter, extra: { before?: string | null; limit?: number } = {}): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of keys) if (filter[key]) params.set(key, filter[key]);
  if (extra.before) params.set('before', extra.before);
  if (extra.limit) params.set('limit', String(extra.limit));
  return params;
}
