import { describe, expect, it } from 'vitest';
import { defaultPolicies, policiesSchema, type Policies } from '@/lib/connectors/schema';
import { countSlots, decideSlot, missedSlotsBefore, isTransient, LATE_TOLERANCE_MS, lateToleranceMs, ON_TIME_SLACK_MS, retryDelayMs, type SlotSituation } from './policy';
import { scheduleSchema, type Schedule } from './schedule';

const minute = scheduleSchema.parse({ id: 'm', type: 'interval', everySeconds: 60 });
const sixAm = scheduleSchema.parse({ id: 'd', type: 'cron', cron: '0 6 * * *', timezone: 'America/New_York' });
const slot = new Date('2026-05-04T10:00:00Z');
const later = (ms: number) => new Date(slot.getTime() + ms);

function situation(overrides: Partial<Omit<SlotSituation, 'policies'>> & { policies?: Partial<Policies> } = {}): SlotSituation {
  return {
    schedule: minute,
    slot,
    now: later(15),
    active: null,
    queuedBehind: false,
    ...overrides,
    policies: { ...defaultPolicies, ...overrides.policies },
  };
}

describe('decideSlot', () => {
  it('runs an on-time slot as scheduled', () => {
    expect(decideSlot(situation())).toEqual({ action: 'run', trigger: 'scheduled', slot });
  });

  it('skips while the previous run is going (overlap=skip, the default) and says why', () => {
    const decision = decideSlot(situation({ active: { id: 'c:m:prev', status: 'running' } }));
    expect(decision).toMatchObject({ action: 'skip', trigger: 'scheduled', slot });
    expect(decision.action === 'skip' && decision.reason).toContain('c:m:prev');
  });

  it('queues one run behind the running one, and skips a second (overlap=queue-one)', () => {
    const policies = { overlap: 'queue-one' as const };
    expect(decideSlot(situation({ policies, active: { id: 'prev', status: 'running' } }))).toEqual({ action: 'queue', trigger: 'scheduled', slot, waitFor: 'prev' });
    expect(decideSlot(situation({ policies, active: { id: 'prev', status: 'running' }, queuedBehind: true }))).toMatchObject({ action: 'skip' });
  });

  it('replaces the running run (overlap=cancel-running)', () => {
    expect(decideSlot(situation({ policies: { overlap: 'cancel-running' }, active: { id: 'prev', status: 'running' } }))).toEqual({
      action: 'replace',
      trigger: 'scheduled',
      slot,
      cancel: 'prev',
    });
  });

  it('skips a slot that comes sooner than the minimum gap after the previous start', () => {
    const policies = { minGapSeconds: 60 };
    const decision = decideSlot(situation({ policies, lastStartedAt: later(-30_000) }));
    expect(decision).toMatchObject({ action: 'skip' });
    expect(decision.action === 'skip' && decision.reason).toMatch(/started 30 s before this slot; the minimum gap is 60 s/);
    expect(decideSlot(situation({ policies, lastStartedAt: later(-60_000) }))).toMatchObject({ action: 'run' });
    expect(decideSlot(situation({ lastStartedAt: later(-30_000), policies: { minGapSeconds: 0 } }))).toMatchObject({ action: 'run' });
  });

  it('measures the minimum gap to the slot time: an on-time slot is never skipped for being decided late', () => {
    // The previous slot's run counts from its slot time (10:00 -> 09:59); this slot is decided 1.5 s late.
    const policies = { minGapSeconds: 60 };
    expect(decideSlot(situation({ policies, lastStartedAt: later(-60_000), now: later(1500) }))).toMatchObject({ action: 'run', trigger: 'scheduled' });
    // A manual run 20 s before the slot still holds it back, however late the slot is decided.
    expect(decideSlot(situation({ policies, lastStartedAt: later(-20_000), now: later(3000) }))).toMatchObject({ action: 'skip' });
  });

  it('has a default minimum gap that never skips the slots of the smallest interval', () => {
    expect(defaultPolicies.minGapSeconds).toBe(0);
    const fastest = scheduleSchema.parse({ id: 'f', type: 'interval', everySeconds: 60 });
    // The previous slot's run started late (it counts from its slot): the next slot still runs.
    expect(decideSlot(situation({ schedule: fastest, lastStartedAt: later(-60_000), now: later(900) }))).toMatchObject({ action: 'run' });
    expect(decideSlot(situation({ schedule: fastest, lastStartedAt: later(-10_000) }))).toMatchObject({ action: 'run' });
  });

  it('catches up missed slots with exactly one run, for the latest missed slot (missedSlots=run-once)', () => {
    // Down for 10 minutes: the job for 10:00 fires at 10:10:05.
    const decision = decideSlot(situation({ now: later(605_000) }));
    expect(decision).toEqual({ action: 'run', trigger: 'catch-up', slot: later(600_000) });
  });

  it('counts a single slot that is late beyond the tolerance as missed', () => {
    const daily = situation({ schedule: sixAm, slot: new Date('2026-05-04T10:00:00Z'), now: new Date(Date.parse('2026-05-04T10:00:00Z') + LATE_TOLERANCE_MS + 1) });
    expect(decideSlot(daily)).toMatchObject({ action: 'run', trigger: 'catch-up', slot: new Date('2026-05-04T10:00:00Z') });
  });

  it('records missed slots as one skip when the policy is skip, naming how many were missed', () => {
    const decision = decideSlot(situation({ now: later(605_000), policies: { missedSlots: 'skip' } }));
    expect(decision).toMatchObject({ action: 'skip', trigger: 'catch-up', slot: later(600_000) });
    expect(decision.action === 'skip' && decision.reason).toContain('11 missed slots');
  });

  it('does not catch up a slot older than the grace window', () => {
    const decision = decideSlot(situation({ schedule: sixAm, now: new Date('2026-05-04T13:00:00Z'), policies: { catchUpGraceSeconds: 3600 } }));
    expect(decision).toMatchObject({ action: 'skip', trigger: 'catch-up' });
    expect(decision.action === 'skip' && decision.reason).toContain('beyond the catch-up grace of 3600 s');
  });

  it('honours a catch-up grace below the 60 s on-time window exactly', () => {
    // 33 s late with a grace of 10 s: missed, and too old to catch up.
    const late = decideSlot(situation({ now: later(33_000), policies: { catchUpGraceSeconds: 10 } }));
    expect(late).toMatchObject({ action: 'skip', trigger: 'catch-up', slot });
    expect(late.action === 'skip' && late.reason).toContain('beyond the catch-up grace of 10 s');
    // 8 s late with a grace of 10 s: on time.
    expect(decideSlot(situation({ now: later(8000), policies: { catchUpGraceSeconds: 10 } }))).toEqual({ action: 'run', trigger: 'scheduled', slot });
    // 11 s late: missed; with run-once policy it is older than the grace, so skipped.
    expect(decideSlot(situation({ now: later(11_000), policies: { catchUpGraceSeconds: 10 } }))).toMatchObject({ action: 'skip', trigger: 'catch-up' });
    // The default grace (1 h) keeps the 60 s on-time window.
    expect(decideSlot(situation({ now: later(59_000) }))).toEqual({ action: 'run', trigger: 'scheduled', slot });
  });

  it("counts the scheduler's own delay in deciding a slot as on time, even with a grace of 0", () => {
    const policies = { catchUpGraceSeconds: 0 };
    expect(lateToleranceMs(policies)).toBe(ON_TIME_SLACK_MS);
    expect(decideSlot(situation({ now: later(1500), policies }))).toEqual({ action: 'run', trigger: 'scheduled', slot });
    expect(decideSlot(situation({ now: later(2500), policies }))).toMatchObject({ action: 'skip', trigger: 'catch-up' });
    // A slot job that fires 4 s after its slot (its normal delay) decides overlap, not lateness.
    const job = decideSlot(situation({ now: later(4000), policies, onTimeSlackMs: 5000, active: { id: 'prev', status: 'running' } }));
    expect(job.action === 'skip' && job.reason).toMatch(/previous run prev was still running/);
  });

  it('applies overlap to a catch-up too', () => {
    expect(decideSlot(situation({ now: later(605_000), active: { id: 'prev', status: 'running' } }))).toMatchObject({ action: 'skip', trigger: 'catch-up' });
  });
});

describe('countSlots', () => {
  it('counts interval slots inclusively', () => {
    expect(countSlots(minute, slot, later(600_000))).toEqual({ count: 11, capped: false });
    expect(countSlots(minute, slot, slot)).toEqual({ count: 1, capped: false });
    expect(countSlots(minute, later(1), slot)).toEqual({ count: 0, capped: false });
  });

  it('counts cron slots across a DST change', () => {
    // 06:00 New York on 7, 8 (DST starts) and 9 March 2026.
    expect(countSlots(sixAm, new Date('2026-03-07T11:00:00Z'), new Date('2026-03-09T10:00:00Z'))).toEqual({ count: 3, capped: false });
  });
});

describe('missedSlotsBefore', () => {
  it('lists the missed slots before the newest, newest first, capped', () => {
    expect(missedSlotsBefore(minute, slot, later(180_000))).toEqual([later(120_000), later(60_000), slot]);
    expect(missedSlotsBefore(minute, slot, slot)).toEqual([]);
    expect(missedSlotsBefore(minute, slot, later(600_000), 2)).toEqual([later(540_000), later(480_000)]);
  });

  it('walks cron slots across a DST change', () => {
    expect(missedSlotsBefore(sixAm, new Date('2026-03-07T11:00:00Z'), new Date('2026-03-09T10:00:00Z'))).toEqual([new Date('2026-03-08T10:00:00Z'), new Date('2026-03-07T11:00:00Z')]);
  });
});

describe('retries', () => {
  const policies = { retryBackoffSeconds: 30, retryMaxBackoffSeconds: 300 };

  it('back off exponentially with equal jitter, capped', () => {
    expect(retryDelayMs(policies, 1, () => 0)).toBe(15_000);
    expect(retryDelayMs(policies, 1, () => 1)).toBe(30_000);
    expect(retryDelayMs(policies, 2, () => 1)).toBe(60_000);
    expect(retryDelayMs(policies, 3, () => 0.5)).toBe(90_000);
    expect(retryDelayMs(policies, 10, () => 1)).toBe(300_000);
  });

  it('retry only transient failures', () => {
    expect(['network', 'timeout', 'upstream', 'rate-limited'].every(isTransient)).toBe(true);
    expect(['auth', 'bad-data', 'config', 'cancelled', 'internal'].some(isTransient)).toBe(false);
  });
});

describe('policies schema', () => {
  it('fills defaults', () => {
    expect(policiesSchema.parse({})).toEqual(defaultPolicies);
  });

  it('names the field and rule of a bad value, and rejects unknown fields', () => {
    const result = policiesSchema.safeParse({ overlap: 'sometimes', retryAttempts: 11, retryBackoffSeconds: 600, retryMaxBackoffSeconds: 60, color: 'red' });
    expect(result.success).toBe(false);
    const paths = result.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(paths).toEqual(
      expect.arrayContaining([
        'overlap: must be skip, queue-one or cancel-running',
        'retryAttempts: must be at most 10',
        expect.stringMatching(/^: Unrecognized key.*color/),
      ]),
    );
  });

  it('requires the maximum backoff to be at least the base', () => {
    const result = policiesSchema.safeParse({ retryBackoffSeconds: 600, retryMaxBackoffSeconds: 60 });
    expect(result.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual(['retryMaxBackoffSeconds: must not be smaller than retryBackoffSeconds']);
  });
});

describe('slots a slot clock looked after', () => {
  const minute: Schedule = { id: 'm', type: 'interval', everySeconds: 60, enabled: true };
  const base = { policies: defaultPolicies, schedule: minute, active: null, queuedBehind: false } as const;

  it('counts as missed only the slots before the clock started, however late the decision comes', () => {
    // Down from 10:00:30 to 10:05:10; the job of the 10:01 slot fires at 10:05:12, after the clock took 10:06 on.
    const decision = decideSlot({ ...base, slot: new Date('2026-05-04T10:01:00Z'), now: new Date('2026-05-04T10:06:02Z'), onTimeFrom: new Date('2026-05-04T10:05:10Z') });
    expect(decision).toMatchObject({ action: 'run', trigger: 'catch-up', slot: new Date('2026-05-04T10:05:00Z') });
  });

  it('leaves a slot after the clock started on its own time: not missed, not replaced by a newer one', () => {
    const decision = decideSlot({ ...base, slot: new Date('2026-05-04T10:07:00Z'), now: new Date('2026-05-04T10:07:30Z'), onTimeFrom: new Date('2026-05-04T10:05:10Z') });
    expect(decision).toEqual({ action: 'run', trigger: 'scheduled', slot: new Date('2026-05-04T10:07:00Z') });
  });
});
