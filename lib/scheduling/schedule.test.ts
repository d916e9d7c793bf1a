import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { describeSchedule, INTERVAL_BOUNDS_S, nextSlot, nextSlots, previousSlot, scheduleSchema, scheduleSchemaFor, type Schedule, type ScheduleInput } from './schedule';

const at = (iso: string) => new Date(iso);
const iso = (dates: Date[]) => dates.map((d) => d.toISOString());
const schedule = (input: ScheduleInput): Schedule => scheduleSchema.parse(input);
const cron = (expression: string, timezone = 'UTC') => schedule({ id: 's', type: 'cron', cron: expression, timezone });
const every = (everySeconds: number, anchor?: string) => schedule({ id: 's', type: 'interval', everySeconds, ...(anchor ? { anchor } : {}) });

/** The field paths and messages of a rejected schedule. */
function problems(input: unknown): Array<{ path: string; message: string }> {
  const parsed = scheduleSchema.safeParse(input);
  expect(parsed.success).toBe(false);
  return parsed.error!.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
}

describe('interval schedules', () => {
  it('align slots to the epoch: anchor + N x interval', () => {
    const s = every(300);
    expect(nextSlot(s, at('2025-06-01T12:03:20Z')).toISOString()).toBe('2025-06-01T12:05:00.000Z');
    expect(iso(nextSlots(s, at('2025-06-01T12:03:20Z'), 3))).toEqual([
      '2025-06-01T12:05:00.000Z',
      '2025-06-01T12:10:00.000Z',
      '2025-06-01T12:15:00.000Z',
    ]);
  });

  it('answer the slot strictly after a slot boundary', () => {
    expect(nextSlot(every(300), at('2025-06-01T12:05:00Z')).toISOString()).toBe('2025-06-01T12:10:00.000Z');
  });

  it('align slots to an explicit anchor', () => {
    const s = every(3600, '2025-01-01T00:17:30Z');
    expect(nextSlot(s, at('2025-06-01T12:00:00Z')).toISOString()).toBe('2025-06-01T12:17:30.000Z');
    expect(nextSlot(s, at('2025-06-01T12:17:30Z')).toISOString()).toBe('2025-06-01T13:17:30.000Z');
    // Before the anchor, slots continue backwards on the same grid.
    expect(nextSlot(s, at('2024-12-31T22:00:00Z')).toISOString()).toBe('2024-12-31T22:17:30.000Z');
  });

  it('find the latest slot at or before a time', () => {
    const s = every(300);
    expect(previousSlot(s, at('2025-06-01T12:03:20Z'))?.toISOString()).toBe('2025-06-01T12:00:00.000Z');
    expect(previousSlot(s, at('2025-06-01T12:05:00Z'))?.toISOString()).toBe('2025-06-01T12:05:00.000Z');
  });

  it('do not move with daylight saving time (they are absolute)', () => {
    const s = every(86_400);
    expect(iso(nextSlots(s, at('2025-03-08T12:00:00Z'), 2))).toEqual(['2025-03-09T00:00:00.000Z', '2025-03-10T00:00:00.000Z']);
  });
});

describe('cron schedules', () => {
  it('fire at 06:00 New York time on both sides of the March DST change', () => {
    const s = cron('0 6 * * *', 'America/New_York');
    // Clocks go forward on Sunday 2025-03-09 at 02:00: 06:00 EST is 11:00Z, 06:00 EDT is 10:00Z.
    expect(iso(nextSlots(s, at('2025-03-07T12:00:00Z'), 4))).toEqual([
      '2025-03-08T11:00:00.000Z',
      '2025-03-09T10:00:00.000Z',
      '2025-03-10T10:00:00.000Z',
      '2025-03-11T10:00:00.000Z',
    ]);
  });

  it('fire at 06:00 New York time on both sides of the November DST change', () => {
    const s = cron('0 6 * * *', 'America/New_York');
    // Clocks go back on Sunday 2025-11-02 at 02:00.
    expect(iso(nextSlots(s, at('2025-10-31T12:00:00Z'), 4))).toEqual([
      '2025-11-01T10:00:00.000Z',
      '2025-11-02T11:00:00.000Z',
      '2025-11-03T11:00:00.000Z',
      '2025-11-04T11:00:00.000Z',
    ]);
  });

  it('find the previous 06:00 New York slot across a DST change', () => {
    const s = cron('0 6 * * *', 'America/New_York');
    expect(previousSlot(s, at('2025-03-09T12:00:00Z'))?.toISOString()).toBe('2025-03-09T10:00:00.000Z');
    expect(previousSlot(s, at('2025-03-09T09:59:59Z'))?.toISOString()).toBe('2025-03-08T11:00:00.000Z');
    // A time exactly on a slot is that slot.
    expect(previousSlot(s, at('2025-11-02T11:00:00Z'))?.toISOString()).toBe('2025-11-02T11:00:00.000Z');
  });

  it('expand steps in ranges: 0 8-20/4 * * * fires at 08, 12, 16 and 20', () => {
    expect(iso(nextSlots(cron('0 8-20/4 * * *'), at('2025-06-01T00:00:00Z'), 5))).toEqual([
      '2025-06-01T08:00:00.000Z',
      '2025-06-01T12:00:00.000Z',
      '2025-06-01T16:00:00.000Z',
      '2025-06-01T20:00:00.000Z',
      '2025-06-02T08:00:00.000Z',
    ]);
  });

  it('evaluate hours in the schedule time zone', () => {
    const s = cron('0 8-20/4 * * *', 'Europe/Berlin');
    // Berlin is UTC+2 in June.
    expect(iso(nextSlots(s, at('2025-06-01T00:00:00Z'), 4))).toEqual([
      '2025-06-01T06:00:00.000Z',
      '2025-06-01T10:00:00.000Z',
      '2025-06-01T14:00:00.000Z',
      '2025-06-01T18:00:00.000Z',
    ]);
  });

  it('skip months without the day: 0 0 31 * *', () => {
    expect(iso(nextSlots(cron('0 0 31 * *'), at('2025-01-15T00:00:00Z'), 4))).toEqual([
      '2025-01-31T00:00:00.000Z',
      '2025-03-31T00:00:00.000Z',
      '2025-05-31T00:00:00.000Z',
      '2025-07-31T00:00:00.000Z',
    ]);
  });

  it('cross month and year ends', () => {
    expect(iso(nextSlots(cron('30 23 * * *'), at('2025-12-30T23:30:00Z'), 2))).toEqual([
      '2025-12-31T23:30:00.000Z',
      '2026-01-01T23:30:00.000Z',
    ]);
    expect(nextSlot(cron('0 0 1 * *'), at('2025-02-28T23:59:59Z')).toISOString()).toBe('2025-03-01T00:00:00.000Z');
  });

  it('fire on leap days only: 0 0 29 2 *', () => {
    expect(iso(nextSlots(cron('0 0 29 2 *'), at('2025-01-01T00:00:00Z'), 2))).toEqual([
      '2028-02-29T00:00:00.000Z',
      '2032-02-29T00:00:00.000Z',
    ]);
    expect(nextSlot(cron('0 0 29 2 *'), at('2024-02-28T12:00:00Z')).toISOString()).toBe('2024-02-29T00:00:00.000Z');
  });

  it('default the time zone to UTC', () => {
    const s = schedule({ id: 'daily', type: 'cron', cron: '0 6 * * *' });
    expect(s.type === 'cron' && s.timezone).toBe('UTC');
    expect(nextSlot(s, at('2025-06-01T00:00:00Z')).toISOString()).toBe('2025-06-01T06:00:00.000Z');
  });
});

describe('schedule validation', () => {
  it.each([
    ['61 * * * *', 'is not a valid cron expression'],
    ['* * *', 'must have 5 fields'],
    ['0 6 * * * *', 'must have 5 fields'],
    ['every day', 'must have 5 fields'],
    ['0 25 * * *', 'is not a valid cron expression'],
  ])('rejects the cron %j with an error on the cron field', (expression, rule) => {
    const found = problems({ id: 'a', type: 'cron', cron: expression, timezone: 'UTC' });
    expect(found).toEqual([expect.objectContaining({ path: 'cron', message: expect.stringContaining(rule) })]);
  });

  it('rejects an unknown time zone on the timezone field', () => {
    expect(problems({ id: 'a', type: 'cron', cron: '0 6 * * *', timezone: 'Mars/Olympus_Mons' })).toEqual([
      { path: 'timezone', message: 'must be an IANA time zone such as Europe/Berlin or America/New_York' },
    ]);
  });

  it.each([
    [5, 'must be at least 60 seconds'],
    [59, 'must be at least 60 seconds'],
    [86_401, 'must be at most 86400 seconds'],
    [90.5, 'must be a whole number of seconds'],
    ['60', 'must be a number of seconds'],
  ])('rejects an interval of %j seconds on everySeconds', (everySeconds, rule) => {
    expect(problems({ id: 'a', type: 'interval', everySeconds })).toEqual([{ path: 'everySeconds', message: rule }]);
  });

  it('accepts the interval bounds', () => {
    expect(scheduleSchema.safeParse({ id: 'a', type: 'interval', everySeconds: 60 }).success).toBe(true);
    expect(scheduleSchema.safeParse({ id: 'a', type: 'interval', everySeconds: 86_400 }).success).toBe(true);
  });

  it('takes the bounds it is given: 120 s refused under a minimum of 300, 1 s allowed under a minimum of 1', () => {
    const strict = scheduleSchemaFor({ min: 300, max: 3600 });
    const refused = strict.safeParse({ id: 'a', type: 'interval', everySeconds: 120 });
    expect(refused.error?.issues.map((i) => ({ path: i.path.join('.'), message: i.message }))).toEqual([
      { path: 'everySeconds', message: 'must be at least 300 seconds' },
    ]);
    expect(strict.safeParse({ id: 'a', type: 'interval', everySeconds: 7200 }).error?.issues[0]?.message).toBe('must be at most 3600 seconds');
    expect(strict.safeParse({ id: 'a', type: 'interval', everySeconds: 300 }).success).toBe(true);
    expect(scheduleSchemaFor({ min: 1, max: 86_400 }).safeParse({ id: 'a', type: 'interval', everySeconds: 1 }).success).toBe(true);
    // The default schema is unchanged by building others.
    expect(problems({ id: 'a', type: 'interval', everySeconds: 1 })).toEqual([{ path: 'everySeconds', message: 'must be at least 60 seconds' }]);
  });

  it('builds one schema per pair of bounds; the defaults give the exported one', () => {
    expect(scheduleSchemaFor()).toBe(scheduleSchema);
    expect(scheduleSchemaFor({ ...INTERVAL_BOUNDS_S })).toBe(scheduleSchema);
    expect(scheduleSchemaFor({ min: 300, max: 3600 })).toBe(scheduleSchemaFor({ min: 300, max: 3600 }));
  });

  it('shows its bounds as minimum and maximum of everySeconds in JSON Schema', () => {
    const json = JSON.stringify(z.toJSONSchema(scheduleSchemaFor({ min: 300, max: 3600 }), { io: 'input' }));
    expect(json).toContain('"minimum":300');
    expect(json).toContain('"maximum":3600');
  });

  it('rejects a bad id, an unknown type, a bad anchor and unknown fields', () => {
    expect(problems({ id: 'Nightly Run', type: 'interval', everySeconds: 60 })[0]?.path).toBe('id');
    expect(problems({ id: 'a', type: 'hourly' })[0]).toMatchObject({ path: 'type', message: 'type must be interval or cron' });
    expect(problems({ id: 'a', type: 'interval', everySeconds: 60, anchor: 'yesterday' })[0]?.path).toBe('anchor');
    const unknown = problems({ id: 'a', type: 'interval', everySeconds: 60, jitter: 5 });
    expect(unknown[0]?.message).toMatch(/jitter/);
  });
});

describe('describeSchedule', () => {
  it('names intervals in the largest whole unit and crons in words with their zone', () => {
    expect(describeSchedule(every(7200))).toBe('every 2 h');
    expect(describeSchedule(every(300))).toBe('every 5 min');
    expect(describeSchedule(every(90))).toBe('every 90 s');
    expect(describeSchedule(cron('0 6 * * *', 'America/New_York'))).toBe('At 06:00 AM (America/New_York)');
    expect(describeSchedule(cron('0 8-20/4 * * *'))).toMatch(/ \(UTC\)$/);
  });
});
