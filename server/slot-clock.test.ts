import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ConnectorDoc } from '@/lib/connectors/store';
import type { Schedule } from '@/lib/scheduling/schedule';
import { SlotClock, type DueSlot } from './slot-clock';

const connector = (id: string, schedules: Schedule[], enabled = true) => ({ _id: id, enabled, schedules }) as unknown as ConnectorDoc;
const everyMinute = (id = 'm'): Schedule => ({ id, type: 'interval', everySeconds: 60, enabled: true });
const T0 = Date.parse('2026-11-23T10:00:30.000Z');

describe('slot clock', () => {
  let fired: Array<{ at: string; wokeAt: string; slots: string[] }>;
  const clockWith = (leadMs = 100) =>
    new SlotClock({
      leadMs: () => leadMs,
      onDue: (at: Date, slots: DueSlot[]) =>
        fired.push({ at: at.toISOString(), wokeAt: new Date().toISOString(), slots: slots.map((s) => `${s.connectorId}/${s.scheduleId}@${s.slot.toISOString()}`) }),
    });

  beforeEach(() => {
    vi.useFakeTimers({ now: T0 });
    fired = [];
  });
  afterEach(() => vi.useRealTimers());

  it('wakes once per slot time, the lead before it, with every schedule due then', async () => {
    const clock = clockWith(100);
    clock.replaceAll([
      connector('a', [everyMinute()]),
      connector('b', [everyMinute(), { id: 'h', type: 'interval', everySeconds: 3600, enabled: true }]),
      connector('off', [everyMinute()], false),
      connector('c', [{ ...everyMinute(), enabled: false }]),
    ]);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(fired).toEqual([
      { at: '2026-11-23T10:01:00.000Z', wokeAt: '2026-11-23T10:00:59.900Z', slots: ['a/m@2026-11-23T10:01:00.000Z', 'b/m@2026-11-23T10:01:00.000Z'] },
    ]);
    clock.stop();
  });

  it('hands every slot over once, however often the connectors are replaced', async () => {
    const clock = clockWith(100);
    const list = [connector('a', [everyMinute()])];
    clock.replaceAll(list);
    await vi.advanceTimersByTimeAsync(29_950); // 10:00:59.950, after the wake-up for 10:01
    clock.replaceAll(list);
    clock.replace('a', list[0]!);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(fired.map((f) => f.at)).toEqual(['2026-11-23T10:01:00.000Z', '2026-11-23T10:02:00.000Z']);
    clock.stop();
  });

  it('forgets a removed connector and stops waking when it has nothing or is stopped', async () => {
    const clock = clockWith();
    clock.replaceAll([connector('a', [everyMinute()])]);
    clock.replace('a', null);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(fired).toEqual([]);
    clock.replace('b', connector('b', [everyMinute()]));
    clock.stop();
    await vi.advanceTimersByTimeAsync(120_000);
    expect(fired).toEqual([]);
  });

  it('leaves slots long past (the machine slept) to the slot jobs instead of firing them one after another', async () => {
    // A clock whose last hand-over lies ten minutes back, as after a suspend.
    const late = clockWith();
    vi.setSystemTime(T0 + 600_000);
    late.replaceAll([connector('a', [everyMinute()])]);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(fired.map((f) => f.at)).toEqual(['2026-11-23T10:11:00.000Z']);
    late.stop();
  });

  it('sets long waits in steps and still wakes on time (a daily cron)', async () => {
    const clock = clockWith(100);
    clock.replaceAll([connector('d', [{ id: 'n', type: 'cron', cron: '0 6 * * *', timezone: 'America/New_York', enabled: true }])]);
    await vi.advanceTimersByTimeAsync(24 * 3600_000);
    expect(fired).toEqual([{ at: '2026-11-23T11:00:00.000Z', wokeAt: '2026-11-23T10:59:59.900Z', slots: ['d/n@2026-11-23T11:00:00.000Z'] }]);
    clock.stop();
  });
});

describe('slot clock at start', () => {
  beforeEach(() => vi.useFakeTimers({ now: T0 }));
  afterEach(() => vi.useRealTimers());

  it('leaves the slots of its settling time to others', async () => {
    const fired: string[] = [];
    const clock = new SlotClock({ leadMs: () => 0, settleMs: 45_000, onDue: (at) => fired.push(at.toISOString()) });
    expect(clock.startedAt.toISOString()).toBe('2026-11-23T10:01:15.000Z');
    clock.replaceAll([connector('a', [everyMinute()])]);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(fired).toEqual(['2026-11-23T10:02:00.000Z']);
    clock.stop();
  });
});
