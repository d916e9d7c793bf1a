import { CronExpressionParser } from 'cron-parser';
import { describe, expect, it, vi } from 'vitest';
import { nextSlot, nextSlots, type Schedule } from './schedule';

/** The slots without any reuse: one parse per step, as the parser defines them. */
function uncached(cron: string, timezone: string, after: Date, count: number): string[] {
  const expression = CronExpressionParser.parse(cron, { currentDate: after, tz: timezone });
  return Array.from({ length: count }, () => expression.next().toDate().toISOString());
}

const iso = (dates: Date[]) => dates.map((d) => d.toISOString());

describe('upcoming cron slots, reused between calls', () => {
  const daily: Schedule = { id: 'nightly', type: 'cron', cron: '30 2 * * *', timezone: 'Europe/Berlin', enabled: true };

  it('answers what the parser answers for times before, on and after a slot, across a DST change', () => {
    // 2025-03-30: Berlin skips 02:00-03:00, so the 02:30 slot of that day does not exist.
    const times = [
      '2025-03-28T12:00:00Z',
      '2025-03-28T12:00:01Z',
      '2025-03-29T01:29:59Z',
      '2025-03-29T01:30:00Z', // exactly a slot: the next one is the day after
      '2025-03-29T01:30:00.001Z',
      '2025-03-29T00:00:00Z', // earlier than the last call
      '2025-03-30T00:59:00Z',
      '2025-03-31T00:30:00Z',
    ];
    for (const t of times) {
      const after = new Date(t);
      expect(iso(nextSlots(daily, after, 3)), t).toEqual(uncached(daily.cron, daily.timezone, after, 3));
      expect(nextSlot(daily, after).toISOString(), t).toBe(uncached(daily.cron, daily.timezone, after, 1)[0]);
    }
  });

  it('keeps schedules with the same expression in different zones apart, and serves more slots than it kept', () => {
    const ny: Schedule = { ...daily, timezone: 'America/New_York' };
    const after = new Date('2025-06-01T00:00:00Z');
    expect(iso(nextSlots(daily, after, 2))).toEqual(uncached(daily.cron, daily.timezone, after, 2));
    expect(iso(nextSlots(ny, after, 2))).toEqual(uncached(ny.cron, ny.timezone, after, 2));
    expect(iso(nextSlots(daily, after, 7))).toEqual(uncached(daily.cron, daily.timezone, after, 7));
  });

  it('answers the slot after a planned slot and the slots from now out of one computation', () => {
    const hourly: Schedule = { id: 'hourly', type: 'cron', cron: '15 * * * *', timezone: 'Asia/Kolkata', enabled: true };
    const now = new Date('2025-07-01T10:00:00Z');
    const parse = vi.spyOn(CronExpressionParser, 'parse');
    try {
      const upcoming = nextSlots(hourly, now, 3);
      // What the scheduler asks in between: the slot after the one it plans, and the next one from a moment later.
      expect(nextSlot(hourly, upcoming[0]!).toISOString()).toBe(uncached(hourly.cron, hourly.timezone, upcoming[0]!, 1)[0]);
      const later = new Date(now.getTime() + 1000);
      expect(iso(nextSlots(hourly, later, 3))).toEqual(uncached(hourly.cron, hourly.timezone, later, 3));
      expect(iso(nextSlots(hourly, now, 3))).toEqual(iso(upcoming));
      expect(parse).toHaveBeenCalledTimes(1 + 2); // one for the slots, and the two uncached references
    } finally {
      parse.mockRestore();
    }
  });
});
