import { CronExpressionParser } from 'cron-parser';
import cronstrue from 'cronstrue';
import { z } from 'zod';

/** The shortest and longest interval of an interval schedule, in seconds. */
export interface IntervalBounds {
  readonly min: number;
  readonly max: number;
}

/**
 * The default bounds: one minute to one day. The server's configuration (SCHEDULE_INTERVAL_MIN_S/MAX_S, in
 * `config.intervalBounds`) may set others; code that validates schedules is given them (see {@link perBounds}).
 */
export const INTERVAL_BOUNDS_S: IntervalBounds = { min: 60, max: 86_400 };

/**
 * Makes a schema factory that takes interval bounds (the defaults when omitted) and builds each schema once per
 * pair of bounds: a server with the default bounds parses with the very objects the OpenAPI document describes.
 */
export function perBounds<T>(build: (bounds: IntervalBounds) => T): (bounds?: IntervalBounds) => T {
  const built = new Map<string, T>();
  return (bounds = INTERVAL_BOUNDS_S) => {
    const key = `${bounds.min}-${bounds.max}`;
    let value = built.get(key);
    if (value === undefined) built.set(key, (value = build(bounds)));
    return value;
  };
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

const intervalScheduleSchemaFor = perBounds(({ min, max }) =>
  z.strictObject({
    id: scheduleId,
    type: z.literal('interval'),
    enabled: z.boolean().default(true),
    everySeconds: z
      .number({ error: 'must be a number of seconds' })
      .int({ error: 'must be a whole number of seconds' })
      .min(min, { error: `must be at least ${min} seconds` })
      .max(max, { error: `must be at most ${max} seconds` })
      .meta({ description: "Seconds between slots, within the server's SCHEDULE_INTERVAL_MIN_S and _MAX_S (the defaults are shown)" }),
    /** Slot N starts at anchor + N x everySeconds; the Unix epoch unless set. */
    anchor: z.iso.datetime({ error: 'must be an ISO 8601 date-time' }).optional(),
  }),
);

/** An interval schedule with the default bounds (see {@link scheduleSchemaFor} for others). */
export const intervalScheduleSchema = intervalScheduleSchemaFor();

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

/** A schedule whose interval, if any, lies within the given bounds (the defaults when omitted). */
export const scheduleSchemaFor = perBounds((bounds) =>
  z.discriminatedUnion('type', [intervalScheduleSchemaFor(bounds), cronScheduleSchema], {
    error: 'type must be interval or cron',
  }),
);

/** A schedule with the default interval bounds: what the OpenAPI document shows. */
export const scheduleSchema = scheduleSchemaFor();

export type Schedule = z.output<typeof scheduleSchema>;
export type ScheduleInput = z.input<typeof scheduleSchema>;

/**
 * Upcoming cron slots are costly to compute (milliseconds each: the parser steps through time in the schedule's
 * zone), and the overview asks for every connector's on every request. Each expression and zone keeps the run of
 * consecutive slots it last computed and the time it computed them from: for any later `after`, the slots of that
 * run after it are the next ones, so they are reused while enough of them are left. (Asking for the slot after a
 * planned slot, as the scheduler does, is answered from the same run as asking from now.)
 */
const CRON_CACHE_LIMIT = 10_000;
/** Slots computed at once: the status shows three upcoming runs. */
const CRON_CACHE_SLOTS = 4;
const cronSlotCache = new Map<string, { from: number; slots: number[] }>();

function cronSlots(cron: string, timezone: string, after: Date, count: number): Date[] {
  const key = `${timezone} ${cron}`;
  const at = after.getTime();
  const hit = cronSlotCache.get(key);
  if (hit && hit.from <= at) {
    const first = hit.slots.findIndex((t) => t > at);
    if (first >= 0 && first + count <= hit.slots.length) return hit.slots.slice(first, first + count).map((t) => new Date(t));
  }
  const expression = CronExpressionParser.parse(cron, { currentDate: after, tz: timezone });
  const slots = Array.from({ length: Math.max(count, CRON_CACHE_SLOTS) }, () => expression.next().toDate().getTime());
  if (cronSlotCache.size >= CRON_CACHE_LIMIT) cronSlotCache.clear();
  cronSlotCache.set(key, { from: at, slots });
  return slots.slice(0, count).map((t) => new Date(t));
}

/** The first slot of a schedule strictly after `after`. */
export function nextSlot(schedule: Schedule, after: Date): Date {
  return nextSlots(schedule, after, 1)[0]!;
}

/** The next `count` slots of a schedule after `after`, in order. */
export function nextSlots(schedule: Schedule, after: Date, count: number): Date[] {
  if (schedule.type === 'cron') return cronSlots(schedule.cron, schedule.timezone, after, count);
  const every = schedule.everySeconds * 1000;
  const anchor = schedule.anchor ? Date.parse(schedule.anchor) : 0;
  const first = Math.floor((after.getTime() - anchor) / every) + 1;
  return Array.from({ length: count }, (_, i) => new Date(anchor + (first + i) * every));
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

/** Descriptions of cron schedules by zone and expression (cronstrue takes about a millisecond each). */
const descriptions = new Map<string, string>();

/** A short human description: "every 5 min" or "At 06:00 AM (America/New_York)". */
export function describeSchedule(schedule: Schedule): string {
  if (schedule.type === 'cron') {
    const key = `${schedule.timezone} ${schedule.cron}`;
    let text = descriptions.get(key);
    if (text === undefined) {
      try {
        text = `${cronstrue.toString(schedule.cron, { verbose: false })} (${schedule.timezone})`;
      } catch {
        text = `${schedule.cron} (${schedule.timezone})`;
      }
      if (descriptions.size >= CRON_CACHE_LIMIT) descriptions.clear();
      descriptions.set(key, text);
    }
    return text;
  }
  const s = schedule.everySeconds;
  if (s % 3600 === 0) return `every ${s / 3600} h`;
  if (s % 60 === 0) return `every ${s / 60} min`;
  return `every ${s} s`;
}
