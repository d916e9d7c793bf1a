import { ObjectId, type Db, type Filter } from 'mongodb';
import { auditActorLabel, type AuditActor } from './actor';
import { collections } from '@/lib/store/collections';

/**
 * The audit log: one entry per change anyone made (connectors, schedules, policies, enable/disable, runs, cancels,
 * scheduler pause/resume, users, tokens), with who, when and a before/after diff. Entries are only ever added.
 *
 * Callers pass plain before/after snapshots; {@link diff} turns them into the changed paths. Snapshots must never
 * hold secret values: pass the public shape (`toConnector`, which lists secret names only), never a stored document.
 */

export type AuditTargetType = 'connector' | 'run' | 'scheduler' | 'user' | 'token';

export interface AuditChange {
  /** Dotted path of the changed value (`policies.overlap`, `schedules.0.everySeconds`). */
  path: string;
  before?: unknown;
  after?: unknown;
}

export interface AuditEntryDoc {
  _id: ObjectId;
  at: Date;
  actor: { kind: AuditActor['kind']; id: string; label: string; role: AuditActor['role'] };
  /** What was done, `<target>.<verb>`: `connector.update`, `connector.cancel`, `scheduler.pause`, `token.revoke`, … */
  action: string;
  target: { type: AuditTargetType; id: string };
  changes: AuditChange[];
  /** Free-form facts that are not a field change (the run id a run-now started, a reason). */
  details?: Record<string, unknown>;
}

export interface AuditEntry {
  id: string;
  at: string;
  actor: AuditEntryDoc['actor'];
  action: string;
  target: AuditEntryDoc['target'];
  changes: AuditChange[];
  details?: Record<string, unknown>;
}

export const auditLog = collections.audit;

let indexed: WeakSet<Db> = new WeakSet();

/** Indexes for the audit queries: newest first, per target, per actor. Idempotent. */
export async function ensureAuditIndexes(db: Db): Promise<void> {
  if (indexed.has(db)) return;
  // One index per command: the embedded FerretDB drops the connection when a multi-index createIndexes names
  // indexes that already exist (every start after the first, and every instance after the first).
  const collection = auditLog(db);
  await collection.createIndex({ at: -1, _id: -1 }, { name: 'newest' });
  await collection.createIndex({ 'target.type': 1, 'target.id': 1, at: -1 }, { name: 'by_target' });
  await collection.createIndex({ 'actor.label': 1, at: -1 }, { name: 'by_actor' });
  indexed.add(db);
}

/** Forgets which databases were indexed (tests that drop collections). */
export function resetAuditIndexCache(): void {
  indexed = new WeakSet();
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date) && !(value instanceof ObjectId);

/** Comparable form of a leaf value (dates by instant, ids by hex). */
function leaf(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (value instanceof ObjectId) return value.toHexString();
  return value;
}

/**
 * The changed leaves between two snapshots, as dotted paths. Objects are compared key by key; arrays of objects
 * element by element (so `schedules.1.cron` names the schedule that changed); other arrays as whole values.
 */
export function diff(before: unknown, after: unknown, path = ''): AuditChange[] {
  // A created or removed object lists each of its fields.
  if (before === undefined && isPlainObject(after)) before = {};
  if (after === undefined && isPlainObject(before)) after = {};
  if (isPlainObject(before) && isPlainObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((key) => diff(before[key], after[key], path ? `${path}.${key}` : key));
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length + after.length > 0 && [...before, ...after].every(isPlainObject)) {
    const length = Math.max(before.length, after.length);
    return Array.from({ length }, (_, i) => diff(before[i], after[i], path ? `${path}.${i}` : String(i))).flat();
  }
  const [b, a] = [leaf(before), leaf(after)];
  if (JSON.stringify(b) === JSON.stringify(a)) return [];
  const change: AuditChange = { path: path || '(value)' };
  if (b !== undefined) change.before = b;
  if (a !== undefined) change.after = a;
  return [change];
}

export interface AuditRecord {
  actor: AuditActor;
  action: string;
  target: { type: AuditTargetType; id: string };
  /** Snapshots before and after the change; omit `before` for a creation and `after` for a deletion. */
  before?: unknown;
  after?: unknown;
  details?: Record<string, unknown>;
}

/** Adds one entry to the audit log. Call it after the change succeeded, with what it actually changed. */
export async function recordAudit(db: Db, record: AuditRecord): Promise<AuditEntryDoc> {
  await ensureAuditIndexes(db);
  const { actor } = record;
  const doc: AuditEntryDoc = {
    _id: new ObjectId(),
    at: new Date(),
    actor: { kind: actor.kind, id: actor.id, label: auditActorLabel(actor), role: actor.role },
    action: record.action,
    target: record.target,
    changes: diff(record.before, record.after),
  };
  if (record.details) doc.details = record.details;
  await auditLog(db).insertOne(doc);
  return doc;
}

export function toAuditEntry(doc: AuditEntryDoc): AuditEntry {
  const entry: AuditEntry = { id: doc._id.toHexString(), at: doc.at.toISOString(), actor: doc.actor, action: doc.action, target: doc.target, changes: doc.changes };
  if (doc.details) entry.details = doc.details;
  return entry;
}

export interface AuditQuery {
  targetType?: AuditTargetType;
  targetId?: string;
  actor?: string;
  action?: string;
  /** Cursor: the id of the last entry of the previous page. */
  before?: string;
  limit: number;
}

/** Newest first, one page at a time; `next` is the cursor for the following page (null on the last one). */
export async function listAudit(db: Db, query: AuditQuery): Promise<{ entries: AuditEntryDoc[]; next: string | null }> {
  await ensureAuditIndexes(db);
  const filter: Filter<AuditEntryDoc> = {};
  if (query.targetType) filter['target.type'] = query.targetType;
  if (query.targetId) filter['target.id'] = query.targetId;
  if (query.actor) filter['actor.label'] = query.actor;
  if (query.action) filter.action = query.action;
  if (query.before && ObjectId.isValid(query.before)) {
    const cursor = await auditLog(db).findOne({ _id: new ObjectId(query.before) });
    if (cursor) filter.$or = [{ at: { $lt: cursor.at } }, { at: cursor.at, _id: { $lt: cursor._id } }];
  }
  const entries = await auditLog(db).find(filter).sort({ at: -1, _id: -1 }).limit(query.limit + 1).toArray();
  const more = entries.length > query.limit;
  if (more) entries.pop();
  return { entries, next: more ? entries.at(-1)!._id.toHexString() : null };
}
