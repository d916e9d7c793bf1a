import type { Policies } from '@/lib/connectors/schema';
import type { RunTrigger } from '@/lib/domain/run';
import { nextSlot, previousSlot, type Schedule } from './schedule';

/**
 * A slot that starts later than this after its time counts as missed (server down, paused, or overloaded), or
 * later than the connector's `catchUpGraceSeconds` when that is shorter (see {@link lateToleranceMs}).
 */
export const LATE_TOLERANCE_MS = 60_000;

/** How late a slot clock's own start may be and still count as on time, whatever the catch-up grace. */
export const ON_TIME_SLACK_MS = 2000;

/**
 * How late a slot may start and still run as `scheduled`: the catch-up grace, but no more than
 * {@link LATE_TOLERANCE_MS} and no less than the scheduler's own delay in deciding it (`slackMs`).
 */
export function lateToleranceMs(policies: Pick<Policies, 'catchUpGraceSeconds'>, slackMs = ON_TIME_SLACK_MS): number {
  return Math.min(LATE_TOLERANCE_MS, Math.max(policies.catchUpGraceSeconds * 1000, slackMs));
}

/** Counting missed cron slots stops here; the reason then says "at least". */
const COUNT_CAP = 10_000;

export type SlotDecision =
  | { action: 'run'; trigger: RunTrigger; slot: Date }
  | { action: 'skip'; trigger: RunTrigger; slot: Date; reason: string }
  /** overlap=queue-one: record the run as queued behind the running one. */
  | { action: 'queue'; trigger: RunTrigger; slot: Date; waitFor: string }
  /** overlap=cancel-running: stop the running run, then run this one. */
  | { action: 'replace'; trigger: RunTrigger; slot: Date; cancel: string };

export interface SlotSituation {
  policies: Policies;
  schedule: Schedule;
  /** The slot the firing job stands for. */
  slot: Date;
  now: Date;
  /** The connector's run going now, if any. */
  active: { id: string; status: string } | null;
  /** Whether a run already waits behind the active one (queue-one allows one). */
  queuedBehind: boolean;
  /**
   * When the connector's previous run started, for the minimum gap: a slot's run counts from its slot time (so a
   * run that started a little late does not push the next slot out), any other run from its actual start.
   */
  lastStartedAt?: Date;
  /**
   * How long after a slot the scheduler decides it in the normal course (a slot job fires a moment after its slot):
   * lateness up to this is the scheduler's, not the slot's. Default {@link ON_TIME_SLACK_MS}.
   */
  onTimeSlackMs?: number;
  /**
   * Slots from this time on were looked after on time (a slot clock claimed or left each of them), so they are not
   * missed, however late this slot's decision comes. Unset: every slot up to `now` counts.
   */
  onTimeFrom?: Date;
}

/** How many slots of a schedule lie in [from, to]. */
export function countSlots(schedule: Schedule, from: Date, to: Date): { count: number; capped: boolean } {
  if (to < from) return { count: 0, capped: false };
  if (schedule.type === 'interval') {
    return { count: Math.floor((to.getTime() - from.getTime()) / (schedule.everySeconds * 1000)) + 1, capped: false };
  }
  let count = 1;
  for (let at = nextSlot(schedule, from); at <= to; at = nextSlot(schedule, at)) {
    if (++count >= COUNT_CAP) return { count, capped: true };
  }
  return { count, capped: false };
}

/** At most this many missed slots get a record of their own in one decision (the most recent ones). */
export const MISSED_RECORDS_CAP = 1000;

/**
 * The slots in [from, newest), newest first, at most `cap` of them: the missed slots a catch-up decision for `newest`
 * stands for, each of which is recorded as skipped, so that every slot has its record.
 */
export function missedSlotsBefore(schedule: Schedule, from: Date, newest: Date, cap = MISSED_RECORDS_CAP): Date[] {
  const slots: Date[] = [];
  for (let at = previousSlot(schedule, new Date(newest.getTime() - 1)); at && at >= from && slots.length < cap; at = previousSlot(schedule, new Date(at.getTime() - 1))) {
    slots.push(at);
  }
  return slots;
}

const seconds = (ms: number) => `${Math.round(ms / 1000)} s`;

/**
 * Decides what a firing slot does, from the connector's policies and what is going on. Pure: the scheduler
 * gathers the situation, this decides, the scheduler carries it out. Order of rules:
 * missed slots (catch up once or skip), then overlap, then the minimum gap.
 */
export function decideSlot(s: SlotSituation): SlotDecision {
  const horizon = s.onTimeFrom && s.onTimeFrom <= s.now ? new Date(s.onTimeFrom.getTime() - 1) : s.now;
  const latest = previousSlot(s.schedule, horizon);
  const newest = latest && latest > s.slot ? latest : s.slot;
  const missed = newest > s.slot || s.now.getTime() - s.slot.getTime() > lateToleranceMs(s.policies, s.onTimeSlackMs);
  const trigger: RunTrigger = missed ? 'catch-up' : 'scheduled';
  const slot = newest;

  if (missed) {
    const { count, capped } = countSlots(s.schedule, s.slot, newest);
    const what = `${capped ? 'at least ' : ''}${count} missed slot${count === 1 ? '' : 's'} (${s.slot.toISOString()}${count > 1 ? ` to ${newest.toISOString()}` : ''})`;
    if (s.policies.missedSlots === 'skip') return { action: 'skip', trigger, slot, reason: `${what}; missed-slot policy is skip` };
    const age = s.now.getTime() - newest.getTime();
    if (age > s.policies.catchUpGraceSeconds * 1000) {
      return { action: 'skip', trigger, slot, reason: `${what}; the latest is ${seconds(age)} old, beyond the catch-up grace of ${s.policies.catchUpGraceSeconds} s` };
    }
  }

  if (s.active) {
    if (s.policies.overlap === 'skip') return { action: 'skip', trigger, slot, reason: `previous run ${s.active.id} was still ${s.active.status}` };
    if (s.policies.overlap === 'queue-one') {
      return s.queuedBehind
        ? { action: 'skip', trigger, slot, reason: `previous run ${s.active.id} was still ${s.active.status} and a run is already queued behind it` }
        : { action: 'queue', trigger, slot, waitFor: s.active.id };
    }
    return { action: 'replace', trigger, slot, cancel: s.active.id };
  }

  // Measured to this slot's time, not to now: a slot decided a moment late is not skipped for the moment.
  if (s.lastStartedAt && s.policies.minGapSeconds > 0) {
    const since = slot.getTime() - s.lastStartedAt.getTime();
    if (since < s.policies.minGapSeconds * 1000) {
      return { action: 'skip', trigger, slot, reason: `previous run started ${seconds(Math.max(0, since))} before this slot; the minimum gap is ${s.policies.minGapSeconds} s` };
    }
  }
  return { action: 'run', trigger, slot };
}

/** Error kinds worth another attempt: the upstream or the network may be fine a little later. */
export const transientErrorKinds = ['network', 'timeout', 'upstream', 'rate-limited'] as const;

export function isTransient(kind: string): boolean {
  return (transientErrorKinds as readonly string[]).includes(kind);
}

/**
 * Delay before retry number `retry` (1 for the first retry): exponential from the base, capped, with
 * "equal jitter" (half fixed, half random) so many failing connectors do not retry in lockstep.
 */
export function retryDelayMs(policies: Pick<Policies, 'retryBackoffSeconds' | 'retryMaxBackoffSeconds'>, retry: number, random = Math.random): number {
  const full = Math.min(policies.retryMaxBackoffSeconds, policies.retryBackoffSeconds * 2 ** Math.max(0, retry - 1)) * 1000;
  return Math.round(full / 2 + random() * (full / 2));
}
