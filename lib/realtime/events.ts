/**
 * The real-time contract: every Socket.IO event the server sends, with its payload.
 * Shared by the server (emitters), the browser (subscribers) and outside tools.
 */

import type { LogLevel, RunCounts, RunError, RunStatus, RunTrigger } from '@/lib/domain/run';

/** The run types the events carry, defined in lib/domain, re-exported for clients of the contract. */
export { emptyCounts, finishedStatuses, runStatuses, runTriggers, type LogLevel, type RunCounts, type RunError, type RunStatus, type RunTrigger } from '@/lib/domain/run';

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
