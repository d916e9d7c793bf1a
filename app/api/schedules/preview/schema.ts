import { z } from 'zod';
import { perBounds, scheduleSchemaFor } from '@/lib/scheduling/schedule';

/**
 * `POST /api/schedules/preview` body for the given interval bounds (the server's `config.intervalBounds`): a
 * schedule that may not be saved yet, and how many slots to show.
 */
export const schedulePreviewBodyFor = perBounds((bounds) =>
  z.strictObject({
    schedule: scheduleSchemaFor(bounds),
    count: z.number().int().min(1, { error: 'must be at least 1' }).max(100, { error: 'must be at most 100' }).default(5),
    after: z.iso.datetime({ error: 'must be an ISO 8601 date-time' }).optional(),
  }),
);

/** The preview body with the default interval bounds (what the OpenAPI document shows). */
export const schedulePreviewBody = schedulePreviewBodyFor();
