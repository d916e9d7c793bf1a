import type { ConnectorStatus } from '@/lib/connectors/status';
import type { RunStatus } from '@/lib/domain/run';

export type StatusLabel = 'Running' | 'Queued' | 'Succeeded' | 'Failed' | 'Cancelled' | 'Skipped' | 'Interrupted' | 'Never run';
export type Tone = 'active' | 'waiting' | 'good' | 'bad' | 'warn' | 'neutral';

const labels: Record<RunStatus, StatusLabel> = {
  running: 'Running',
  queued: 'Queued',
  succeeded: 'Succeeded',
  failed: 'Failed',
  cancelled: 'Cancelled',
  skipped: 'Skipped',
  interrupted: 'Interrupted',
};

const tones: Record<StatusLabel, Tone> = {
  Running: 'active',
  Queued: 'waiting',
  Succeeded: 'good',
  Failed: 'bad',
  Cancelled: 'neutral',
  Skipped: 'neutral',
  Interrupted: 'warn',
  'Never run': 'neutral',
};

export const labelOfRun = (status: RunStatus): StatusLabel => labels[status];
export const toneOfRun = (status: RunStatus): Tone => tones[labels[status]];

/** What a connector is doing now: its current run, else how its last run ended, else "Never run". */
export function statusOf(connector: ConnectorStatus): { label: StatusLabel; tone: Tone } {
  const status = connector.running?.status ?? connector.lastRun?.status;
  const label = status ? labels[status] : 'Never run';
  return { label, tone: tones[label] };
}

export const isFailure = (status: RunStatus | undefined) => status === 'failed' || status === 'interrupted';
