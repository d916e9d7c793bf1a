import type { Collection, Db, Document } from 'mongodb';
import type { AuditEntryDoc } from '@/lib/audit/audit';
import type { AttemptDoc } from '@/lib/auth/attempt-log-store';
import type { RevokedSessionDoc } from '@/lib/auth/session-revocation';
import type { TokenDoc } from '@/lib/auth/tokens';
import type { CheckpointDoc } from '@/lib/connectors/checkpoint';
import type { ConnectorStatsDoc } from '@/lib/connectors/figures';
import type { ConnectorDoc } from '@/lib/connectors/store';
import type { LockDoc } from '@/lib/locks';
import type { LiveRunDoc, RunDoc } from '@/lib/runs/store';
import type { UserDoc } from '@/lib/users/users';
import type { AgendaJobDoc, InstanceDoc, RunClaimDoc } from './documents';

/**
 * A typed handle on one of Syncdeck's collections: `collections.runs(db)` opens it with its document type. A caller
 * that reads only part of a document may name a narrower type (`collections.connectors<{ _id: string }>(db)`).
 */
export interface CollectionHandle<T extends Document> {
  <U extends Document = T>(db: Db): Collection<U>;
  readonly collectionName: string;
}

const handle = <T extends Document>(collectionName: string): CollectionHandle<T> =>
  Object.assign(<U extends Document = T>(db: Db) => db.collection<U>(collectionName), { collectionName });

/**
 * Every collection Syncdeck keeps its own state in, Agenda's included: the one place their names are written.
 * Collections holding documents of several shapes (`settings`, `liveEvents`) take the caller's type.
 */
export const collections = {
  connectors: handle<ConnectorDoc>('connectors'),
  connectorStats: handle<ConnectorStatsDoc>('connectorStats'),
  runs: handle<RunDoc>('runs'),
  liveRuns: handle<LiveRunDoc>('liveRuns'),
  runClaims: handle<RunClaimDoc>('runClaims'),
  checkpoints: handle<CheckpointDoc>('checkpoints'),
  users: handle<UserDoc>('users'),
  apiTokens: handle<TokenDoc>('apiTokens'),
  revokedSessions: handle<RevokedSessionDoc>('revokedSessions'),
  signInAttempts: handle<AttemptDoc>('signInAttempts'),
  settings: handle<Document>('settings'),
  instances: handle<InstanceDoc>('instances'),
  liveEvents: handle<Document>('liveEvents'),
  locks: handle<LockDoc>('locks'),
  audit: handle<AuditEntryDoc>('audit'),
  agendaJobs: handle<AgendaJobDoc>('agendaJobs'),
  agendaLogs: handle<Document>('agenda_logs'),
} as const;

/** Collections a connector's destination may never write into: all of {@link collections}. */
export const RESERVED_COLLECTIONS: readonly string[] = Object.values(collections).map((c) => c.collectionName);
