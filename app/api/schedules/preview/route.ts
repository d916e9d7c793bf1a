import { json, parseBody, route } from '@/lib/api/http';
import { canReadConnectors } from '@/lib/auth/permissions';
import { describeSchedule, nextSlots } from '@/lib/scheduling/schedule';
import { schedulePreviewBodyFor } from './schema';

/** The next slots of a schedule that may not be saved yet: for the schedule editor's preview. */
export const POST = route(canReadConnectors, async ({ req, runtime }) => {
  const { schedule, count, after } = await parseBody(req, schedulePreviewBodyFor(runtime.config.intervalBounds));
  const slots = nextSlots(schedule, after ? new Date(after) : new Date(), count);
  return json({ description: describeSchedule(schedule), slots: slots.map((d) => d.toISOString()) });
});
