import type { ConnectorStatus } from '@/lib/connectors/status';
import type { HeartbeatEvent } from '@/lib/realtime/events';
import type { Overview } from '@/lib/overview';
import type { LiveEvent } from '@/components/live/use-live';
import { applyFinish, applyProgress, applyQueued, applyStart, mergeFetched } from './connector-events';

export interface OverviewState {
  overview: Overview;
  /** Per connector, the sequence number of the last live event (or local action) that changed it. */
  touched: Record<string, number>;
}

export type OverviewAction =
  /** `seq` numbers events in arrival order; fetches carry `since`, the number when they started. */
  | { type: 'event'; event: LiveEvent; seq: number }
  | { type: 'overview'; overview: Overview; since: number }
  | { type: 'status'; status: ConnectorStatus; since: number }
  | { type: 'removed'; connectorId: string }
  | { type: 'queued'; connectorId: string; runId: string; at: string; seq: number };

export const initialState = (overview: Overview): OverviewState => ({ overview, touched: {} });

function updateConnector(state: OverviewState, id: string, seq: number, change: (c: ConnectorStatus) => ConnectorStatus): OverviewState {
  if (!state.overview.connectors.some((c) => c.id === id)) return state;
  const connectors = state.overview.connectors.map((c) => (c.id === id ? change(c) : c));
  return { overview: { ...state.overview, connectors }, touched: { ...state.touched, [id]: seq } };
}

function applyHeartbeat(overview: Overview, e: HeartbeatEvent): Overview {
  const instances = overview.instances.map((i) => (i.id === e.instanceId ? { ...i, lastHeartbeatAt: e.at, alive: true, runningRuns: e.runningRuns } : i));
  return { ...overview, instances, scheduler: { state: e.scheduler } };
}

function applyEvent(state: OverviewState, event: LiveEvent, seq: number): OverviewState {
  switch (event.type) {
    case 'sync:start':
      return updateConnector(state, event.payload.connectorId, seq, (c) => applyStart(c, event.payload));
    case 'sync:progress':
      return updateConnector(state, event.payload.connectorId, seq, (c) => applyProgress(c, event.payload));
    case 'sync:finish':
      return updateConnector(state, event.payload.connectorId, seq, (c) => applyFinish(c, event.payload));
    case 'heartbeat':
      return { ...state, overview: applyHeartbeat(state.overview, event.payload) };
    default:
      return state;
  }
}

function sortByName(connectors: ConnectorStatus[]): ConnectorStatus[] {
  return [...connectors].sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
}

export function overviewReducer(state: OverviewState, action: OverviewAction): OverviewState {
  switch (action.type) {
    case 'event':
      return applyEvent(state, action.event, action.seq);
    case 'overview': {
      const local = new Map(state.overview.connectors.map((c) => [c.id, c]));
      const connectors = action.overview.connectors.map((c) => mergeFetched(local.get(c.id), c, (state.touched[c.id] ?? 0) > action.since));
      return { ...state, overview: { ...action.overview, connectors } };
    }
    case 'status': {
      const { status, since } = action;
      const existing = state.overview.connectors.find((c) => c.id === status.id);
      const merged = mergeFetched(existing, status, (state.touched[status.id] ?? 0) > since);
      const others = state.overview.connectors.filter((c) => c.id !== status.id);
      const connectors = existing ? state.overview.connectors.map((c) => (c.id === status.id ? merged : c)) : sortByName([...others, merged]);
      return { ...state, overview: { ...state.overview, connectors } };
    }
    case 'removed':
      return { ...state, overview: { ...state.overview, connectors: state.overview.connectors.filter((c) => c.id !== action.connectorId) } };
    case 'queued':
      return updateConnector(state, action.connectorId, action.seq, (c) => applyQueued(c, action.runId, action.at));
  }
}
