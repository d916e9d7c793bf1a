import { CronExpressionParser } from 'cron-parser';
import cronstrue from 'cronstrue';
import { z } from 'zod';
import { peekRuntime } from '@/lib/runtime';

/** Interval bounds: one minute to one day unless the operator configures otherwise (SCHEDULE_INTERVAL_MIN_S/MAX_S). */
export const INTERVAL_BOUNDS_S = { min: 60, max: 86_400 } as const;

/** The bounds in force: the server's configuration when it runs, the defaults elsewhere. */
export function intervalBounds(): { min: number; max: number } {
  return peekRuntime()?.config.intervalBounds ?? INTERVAL_BOUNDS_S;
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function cronError(expression: string): string | null {
  if (expression.trim().split(/\s+/).length !== 5) return 'must have 5 fields: minute hour day-of-month month day-of-week';
  try {
    CronExpressionParser.parse(expression, { tz: 'UTC' });
    return null;
  } catch (error) {
    return `is not a valid cron expression (${(error as Error).message})`;
  }
}

const scheduleId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, { error: 'must be 1-40 lowercase letters, digits or -, starting with a letter or digit' });

export const intervalScheduleSchema = z.strictObject({
  id: scheduleId,
  type: z.literal('interval'),
  enabled: z.boolean().default(true),
  everySeconds: z
    .number({ error: 'must be a number of seconds' })
    .int({ error: 'must be a whole number of seconds' })
    .superRefine((value, ctx) => {
      const { min, max } = intervalBounds();
      if (value < min) ctx.addIssue({ code: 'custom', message: `must be at least ${min} seconds` });
      if (value > max) ctx.addIssue({ code: 'custom', message: `must be at most ${max} seconds` });
    }),
  /** Slot N starts at anchor + N x everySeconds; the Unix epoch unless set. */
  anchor: z.iso.datetime({ error: 'must be an ISO 8601 date-time' }).optional(),
});

export const cronScheduleSchema = z.strictObject({
  id: scheduleId,
  type: z.literal('cron'),
  enabled: z.boolean().default(true),
  cron: z.string().superRefine((value, ctx) => {
    const problem = cronError(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }),
  timezone: z
    .string()
    .default('UTC')
    .refine(isTimeZone, { error: 'must be an IANA time zone such as Europe/Berlin or America/New_York' }),
});

export const scheduleSchema = z.discriminatedUnion('type', [intervalScheduleSchema, cronScheduleSchema], {
  error: 'type must be interval or cron',
});

export type Schedule = z.output<typeof scheduleSchema>;
export type ScheduleInput = z.input<typeof scheduleSchema>;

/** The first slot of a schedule strictly after `after`. */
export function nextSlot(schedule: Schedule, after: Date): Date {
  if (schedule.type === 'interval') {
    const every = schedule.everySeconds * 1000;
    const anchor = schedule.anchor ? Date.parse(schedule.anchor) : 0;
    const n = Math.floor((after.getTime() - anchor) / every) + 1;
    return new Date(anchor + n * every);
  }
  return CronExpressionParser.parse(schedule.cron, { currentDate: after, tz: schedule.timezone }).next().toDate();
}

/** The next `count` slots of a schedule after `after`, in order. */
export function nextSlots(schedule: Schedule, after: Date, count: number): Date[] {
  const slots: Date[] = [];
  let cursor = after;
  for (let i = 0; i < count; i++) {
    cursor = nextSlot(schedule, cursor);
    slots.push(cursor);
  }
  return slots;
}

/** The latest slot at or before `at`, or null when the schedule has none (a cron that has not fired yet). */
export function previousSlot(schedule: Schedule, at: Date): Date | null {
  if (schedule.type === 'interval') {
    const every = schedule.everySeconds * 1000;
    const anchor = schedule.anchor ? Date.parse(schedule.anchor) : 0;
    return new Date(anchor + Math.floor((at.getTime() - anchor) / every) * every);
  }
  const expression = CronExpressionParser.parse(schedule.cron, { currentDate: new Date(at.getTime() + 1), tz: schedule.timezone });
  return expression.hasPrev() ? expression.prev().toDate() : null;
}

/** A short human description: "every 5 min" or "At 06:00 AM (America/New_York)". */
export function describeSchedule(schedule: Schedule): string {
  if (schedule.type === 'cron') {
    try {
      return `${cronstrue.toString(schedule.cron, { verbose: false })} (${schedule.timezone})`;
    } catch {
      return `${schedule.cron} (${schedule.timezone})`;
    }
  }
  const s = schedule.everySeconds;
  if (s % 3600 === 0) return `every ${s / 3600} h`;
  if (s % 60 === 0) return `every ${s / 60} min`;
  return `every ${s} s`;
}
