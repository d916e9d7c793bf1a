import { runStatuses, runTriggers, type RunStatus, type RunTrigger } from '@/lib/domain/run';
import type { Run } from '@/lib/runs/store';

/** What the run history is narrowed to; the API takes the same names. */
export interface RunFilter {
  connectorId?: string;
  status?: RunStatus;
  trigger?: RunTrigger;
  /** Only runs queued at or after this moment (ISO, UTC). */
  after?: string;
}

export const matchesFilter = (run: Pick<Run, 'connectorId' | 'status' | 'trigger' | 'queuedAt'>, filter: RunFilter) =>
  (!filter.connectorId || run.connectorId === filter.connectorId) &&
  (!filter.status || run.status === filter.status) &&
  (!filter.trigger || run.trigger === filter.trigger) &&
  (!filter.after || run.queuedAt >= filter.after);

const isStatus = (v: string | null): v is RunStatus => (runStatuses as readonly string[]).includes(v ?? '');
const isTrigger = (v: string | null): v is RunTrigger => (runTriggers as readonly string[]).includes(v ?? '');

/** Reads a filter (and page cursor) from URL query parameters, ignoring values the API would reject. */
export function filterFromParams(params: URLSearchParams): { filter: RunFilter; before: string | null } {
  const connectorId = params.get('connectorId');
  const status = params.get('status');
  const trigger = params.get('trigger');
  const after = new Date(params.get('after') ?? '');
  return {
    filter: {
      ...(connectorId ? { connectorId } : {}),
      ...(isStatus(status) ? { status } : {}),
      ...(isTrigger(trigger) ? { trigger } : {}),
      ...(Number.isNaN(after.getTime()) ? {} : { after: after.toISOString() }),
    },
    before: params.get('before'),
  };
}

/** Query parameters for the API and the page URL: only the set values. */
export function filterToParams(filter: RunFilter, extra: Record<string, string | number | null | undefined> = {}): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries({ ...filter, ...extra })) if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  return params;
}

/** Newest first, as the API orders them: by queue time, then id. */
export function byNewest(a: Run, b: Run): number {
  return b.queuedAt.localeCompare(a.queuedAt) || b.id.localeCompare(a.id);
}
