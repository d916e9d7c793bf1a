import { formatSeconds } from '@/components/time/format';
import type { IntervalBounds, Schedule } from '@/lib/scheduling/schedule';

export type { IntervalBounds };

/** A schedule being edited: both kinds' fields are kept, so switching type back and forth loses nothing. */
export interface ScheduleDraft {
  /** Stable React key; not sent. */
  key: string;
  id: string;
  type: 'interval' | 'cron';
  enabled: boolean;
  /** Empty while the input is empty. */
  everySeconds: number | '';
  anchor?: string;
  cron: string;
  timezone: string;
}

/** The body the API takes for one schedule. */
export type ScheduleBody =
  | { id: string; type: 'interval'; enabled: boolean; everySeconds: number | null; anchor?: string }
  | { id: string; type: 'cron'; enabled: boolean; cron: string; timezone: string };

let counter = 0;
/** Keys of schedules added in the browser; saved schedules are keyed by position, the same on server and client. */
const newKey = () => `new-${++counter}`;

export const browserTimeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

export function toDraft(schedule: Schedule, index: number, bounds: IntervalBounds): ScheduleDraft {
  const base = { key: `saved-${index}`, id: schedule.id, enabled: schedule.enabled };
  if (schedule.type === 'interval') return { ...base, type: 'interval', everySeconds: schedule.everySeconds, anchor: schedule.anchor, cron: '0 * * * *', timezone: 'UTC' };
  return { ...base, type: 'cron', cron: schedule.cron, timezone: schedule.timezone, everySeconds: Math.min(bounds.max, Math.max(bounds.min, 3600)) };
}

/** A fresh schedule with an id no other schedule in `taken` has. */
export function newDraft(type: ScheduleDraft['type'], taken: string[], bounds: IntervalBounds): ScheduleDraft {
  let n = taken.length + 1;
  while (taken.includes(`schedule-${n}`)) n++;
  return { key: newKey(), id: `schedule-${n}`, type, enabled: true, everySeconds: Math.min(bounds.max, Math.max(bounds.min, 3600)), cron: '0 6 * * 1-5', timezone: browserTimeZone() };
}

export function toBody(draft: ScheduleDraft): ScheduleBody {
  const { id, enabled } = draft;
  if (draft.type === 'cron') return { id, type: 'cron', enabled, cron: draft.cron, timezone: draft.timezone };
  return { id, type: 'interval', enabled, everySeconds: draft.everySeconds === '' ? null : draft.everySeconds, ...(draft.anchor ? { anchor: draft.anchor } : {}) };
}

/** Whether drafts differ from the saved schedules. */
export const changed = (drafts: ScheduleDraft[], saved: Schedule[], bounds: IntervalBounds) =>
  JSON.stringify(drafts.map(toBody)) !== JSON.stringify(saved.map((s, i) => toBody(toDraft(s, i, bounds))));

/** "every 90 s", "every 5 min", "every 1 h 30 min", "every 1 d". */
export const describeEvery = (seconds: number) => `every ${formatSeconds(seconds)}`;
