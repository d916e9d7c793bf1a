import { z } from 'zod';
import { scheduleSchema } from '@/lib/scheduling/schedule';

/** `POST /api/schedules/preview` body: a schedule that may not be saved yet, and how many slots to show. */
export const schedulePreviewBody = z.strictObject({
  schedule: scheduleSchema,
  count: z.number().int().min(1, { error: 'must be at least 1' }).max(100, { error: 'must be at most 100' }).default(5),
  after: z.iso.datetime({ error: 'must be an ISO 8601 date-time' }).optional(),
});
