import { z } from 'zod';
import { runStatuses, runTriggers } from '@/lib/domain/run';
import { parseCursor } from '@/lib/runs/store';

const isoDateTime = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time such as 2026-01-01T00:00:00Z' });
/** A `next` cursor (`<ISO date-time>~<run id>`) or an ISO date-time. */
const isCursor = (value: string) => isoDateTime.safeParse(value.split('~', 1)[0]).success && parseCursor(value) !== null;

/** `GET /api/runs` filters and the page cursor. */
export const runsQuery = z.strictObject({
  connectorId: z.string().min(1).max(63).optional(),
  status: z.enum(runStatuses, { error: `must be one of ${runStatuses.join(', ')}` }).optional(),
  trigger: z.enum(runTriggers, { error: `must be one of ${runTriggers.join(', ')}` }).optional(),
  after: isoDateTime.optional(),
  before: z.string().refine(isCursor, { error: 'must be a cursor from a previous page or an ISO 8601 date-time' }).optional(),
  limit: z.coerce.number({ error: 'must be a number' }).int().min(1, { error: 'must be at least 1' }).max(200, { error: 'must be at most 200' }).default(50),
}).refine((q) => {
  // Runs even when a field failed its own rule: only compares what parsed.
  const before = q.before ? parseCursor(q.before) : null;
  return !q.after || !before || Number.isNaN(Date.parse(q.after)) || Date.parse(q.after) < before.at.getTime();
}, {
  path: ['after'],
  error: 'must be earlier than before',
});
