/**
 * The real-time contract: every Socket.IO event the server sends, with its payload.
 * Shared by the server (emitters), the browser (subscribers) and outside tools.
 */

export type RunTrigger = 'scheduled' | 'manual' | 'retry' | 'catch-up';
export type RunStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled' | 'skipped' | 'interrupted';
export const finishedStatuses = ['succeeded', 'failed', 'cancelled', 'skipped', 'interrupted'] as const satisfies RunStatus[];

/** Per-run record counts; fresh for every run, never accumulated. */
export interface RunCounts {
  fetched: number;
  created: number;
  updated: number;
  unchanged: number;
  skipped: number;
  failed: number;
}

export const emptyCounts = (): RunCounts => ({ fetched: 0, created: 0, updated: 0, unchanged: 0, skipped: 0, failed: 0 });

export interface RunError {
  /** Error class: auth, rate-limited, network, timeout, upstream, bad-data, cancelled, internal. */
  kind: string;
  message: string;
}

export interface SyncStartEvent {
  runId: string;
  connectorId: string;
  trigger: RunTrigger;
  initiatedBy: string;
  startedAt: string;
}

export interface SyncProgressEvent {
  runId: string;
  connectorId: string;
  done: number;
  total?: number;
  phase?: string;
  counts: RunCounts;
  /** When the server sent this figure: how fresh it is, for clients that show or measure that. */
  at: string;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface SyncLogEvent {
  runId: string;
  connectorId: string;
  at: string;
  level: LogLevel;
  message: string;
}

export interface SyncFinishEvent {
  runId: string;
  connectorId: string;
  status: RunStatus;
  finishedAt: string;
  durationMs: number;
  counts: RunCounts;
  error?: RunError;
}

export interface HeartbeatEvent {
  instanceId: string;
  at: string;
  uptimeS: number;
  scheduler: 'running' | 'paused';
  runningRuns: number;
  db: { ok: boolean; latencyMs: number | null };
}

export interface ConnectorUpdatedEvent {
  connectorId: string;
  [field: string]: unknown;
}

export interface ServerToClientEvents {
  'sync:start': (event: SyncStartEvent) => void;
  'sync:progress': (event: SyncProgressEvent) => void;
  'sync:log': (event: SyncLogEvent) => void;
  'sync:finish': (event: SyncFinishEvent) => void;
  heartbeat: (event: HeartbeatEvent) => void;
  'connector:updated': (event: ConnectorUpdatedEvent) => void;
}

/** Rooms a client may join to receive only what it shows. */
export type Room = 'overview' | `connector:${string}` | `run:${string}`;

export interface ClientToServerEvents {
  /** Join the rooms of what the client shows; answers with the rooms joined or an error. */
  subscribe: (rooms: Room[], ack: (result: { ok: true; rooms: Room[] } | { ok: false; error: string }) => void) => void;
  unsubscribe: (rooms: Room[]) => void;
}

export type ServerEventName = keyof ServerToClientEvents;
export type ServerEventPayload<E extends ServerEventName> = Parameters<ServerToClientEvents[E]>[0];
