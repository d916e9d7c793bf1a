import { z } from 'zod';

/** `POST /api/connectors/{id}/run` query: whether to answer with the finished run, and how long to wait for it. */
export const runNowQuery = z.strictObject({
  wait: z.enum(['true', 'false'], { error: 'must be true or false' }).optional(),
  /** With wait=true: how long to wait for the run to finish, in seconds. */
  timeout: z.coerce.number().int().min(1, { error: 'must be at least 1' }).max(3600, { error: 'must be at most 3600' }).default(300),
});
