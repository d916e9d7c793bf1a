import type { LiveEvent } from '@/components/live/use-live';
import type { Run } from '@/lib/runs/store';
import { byNewest } from './run-filter';

export interface RunListState {
  runs: Run[];
  /** Cursor of the next (older) page; null when this is the last one. */
  next: string | null;
}

export type RunListAction =
  /** replace: a fresh first page; append: an older page; merge: a re-read first page after a reconnect. */
  | { type: 'page'; runs: Run[]; next: string | null; mode: 'replace' | 'append' | 'merge' }
  /** onlyIfNew: a run pieced together from an event must not overwrite one read from the server. */
  | { type: 'upsert'; run: Run; onlyIfNew?: boolean }
  | { type: 'event'; event: LiveEvent };

export const emptyRunList: RunListState = { runs: [], next: null };

function upsert(runs: Run[], incoming: Run[]): Run[] {
  const fresh = new Map(incoming.map((r) => [r.id, r]));
  const kept = runs.map((r) => fresh.get(r.id) ?? r);
  const added = incoming.filter((r) => !runs.some((k) => k.id === r.id));
  return added.length ? [...kept, ...added].sort(byNewest) : kept;
}

/** A run as one of its live events changes it; events of other runs are the caller's to filter. */
export function applyRunEvent(run: Run, event: LiveEvent): Run {
  switch (event.type) {
    case 'sync:start':
      return { ...run, status: 'running', startedAt: event.payload.startedAt, trigger: event.payload.trigger, initiatedBy: event.payload.initiatedBy };
    case 'sync:progress': {
      const { done, total, phase, counts } = event.payload;
      if (run.status !== 'running' && run.status !== 'queued') return run; // a late progress never reopens a finished run
      return { ...run, status: 'running', counts, progress: { done, ...(total === undefined ? {} : { total }), ...(phase === undefined ? {} : { phase }) } };
    }
    case 'sync:finish': {
      const { status, finishedAt, durationMs, counts, error } = event.payload;
      return { ...run, status, finishedAt, durationMs, counts, ...(error ? { error } : {}) };
    }
    default:
      return run;
  }
}

/** A run list that follows live events: rows it holds change in place; the hook decides what to add. */
export function runListReducer(state: RunListState, action: RunListAction): RunListState {
  switch (action.type) {
    case 'page':
      if (action.mode === 'replace') return { runs: action.runs, next: action.next };
      if (action.mode === 'append') return { runs: upsert(state.runs, action.runs), next: action.next };
      return { runs: upsert(state.runs, action.runs), next: state.runs.length > action.runs.length ? state.next : action.next };
    case 'upsert':
      if (action.onlyIfNew && state.runs.some((r) => r.id === action.run.id)) return state;
      return { ...state, runs: upsert(state.runs, [action.run]) };
    case 'event': {
      const { event } = action;
      if (event.type === 'heartbeat' || event.type === 'connector:updated' || event.type === 'sync:log') return state;
      if (!state.runs.some((r) => r.id === event.payload.runId)) return state;
      return { ...state, runs: state.runs.map((r) => (r.id === event.payload.runId ? applyRunEvent(r, event) : r)) };
    }
  }
}
