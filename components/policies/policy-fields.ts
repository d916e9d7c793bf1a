import type { Policies } from '@/lib/connectors/schema';
import { formatSeconds } from '@/components/time/format';

export type PolicyKey = keyof Policies;

interface ChoiceField {
  key: PolicyKey;
  label: string;
  help: string;
  choices: Array<{ value: string; label: string }>;
}
interface NumberField {
  key: PolicyKey;
  label: string;
  help: string;
  unit: 'seconds' | 'attempts';
}
export type PolicyField = ChoiceField | NumberField;

/** Every policy, in the order the form shows them, with words for people rather than field names. */
export const policyFields: PolicyField[] = [
  {
    key: 'overlap',
    label: 'While a run is still going',
    help: 'What a scheduled slot does when the previous run has not ended.',
    choices: [
      { value: 'skip', label: 'Skip the slot' },
      { value: 'queue-one', label: 'Queue one run behind it' },
      { value: 'cancel-running', label: 'Cancel the running one' },
    ],
  },
  { key: 'minGapSeconds', label: 'Minimum gap', help: 'Scheduled runs start no sooner than this after the previous start.', unit: 'seconds' },
  { key: 'timeoutSeconds', label: 'Timeout', help: 'A run still going after this is stopped and marked failed.', unit: 'seconds' },
  {
    key: 'missedSlots',
    label: 'Missed slots',
    help: 'Slots missed while the server was down or the scheduler paused.',
    choices: [
      { value: 'run-once', label: 'Catch up with one run' },
      { value: 'skip', label: 'Skip them' },
    ],
  },
  { key: 'catchUpGraceSeconds', label: 'Catch-up grace', help: 'A missed slot older than this is only recorded as skipped.', unit: 'seconds' },
  { key: 'retryAttempts', label: 'Retries', help: 'Extra attempts after a transient failure; 0 turns retries off.', unit: 'attempts' },
  { key: 'retryBackoffSeconds', label: 'First retry after', help: 'Each further retry doubles the wait, with jitter.', unit: 'seconds' },
  { key: 'retryMaxBackoffSeconds', label: 'Longest retry wait', help: 'The doubling stops here.', unit: 'seconds' },
  {
    key: 'rerunInterrupted',
    label: 'Run cut off by a crash',
    help: 'A run whose server process died is run again once, as a new attempt of the same slot.',
    choices: [
      { value: 'true', label: 'Run it again once' },
      { value: 'false', label: 'Leave it interrupted' },
    ],
  },
];

/** A policy's value in words: "every 5 min" reads oddly for a timeout, so seconds become "5 min". */
export function describePolicy(field: PolicyField, value: Policies[PolicyKey]): string {
  if ('choices' in field) return field.choices.find((c) => c.value === String(value))?.label ?? String(value);
  if (field.unit === 'attempts') return value === 0 ? 'off' : `${value}`;
  return typeof value === 'number' ? (value === 0 ? 'none' : formatSeconds(value)) : String(value);
}
