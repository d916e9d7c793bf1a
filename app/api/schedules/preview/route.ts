import { z } from 'zod';
import { json, parseBody, route } from '@/lib/api/http';
import { canReadConnectors } from '@/lib/auth/permissions';
import { describeSchedule, nextSlots, scheduleSchema } from '@/lib/scheduling/schedule';

const bodySchema = z.strictObject({
  schedule: scheduleSchema,
  count: z.number().int().min(1, { error: 'must be at least 1' }).max(100, { error: 'must be at most 100' }).default(5),
  after: z.iso.datetime({ error: 'must be an ISO 8601 date-time' }).optional(),
});

/** The next slots of a schedule that may not be saved yet: for the schedule editor's preview. */
export const POST = route(canReadConnectors, async ({ req }) => {
  const { schedule, count, after } = await parseBody(req, bodySchema);
  const slots = nextSlots(schedule, after ? new Date(after) : new Date(), count);
  return json({ description: describeSchedule(schedule), slots: slots.map((d) => d.toISOString()) });
});
