import { MongoBulkWriteError, type AnyBulkWriteOperation, type Db, type Document } from 'mongodb';
import type { LogLevel, RunCounts } from '@/lib/realtime/events';
import { SyncError } from './kind';
import { getPath } from './paths';

/** Options of a {@link Destination}. */
export interface DestinationOptions {
  /**
   * Dot path of the field that identifies a record (default `id`); its value becomes the document's `_id`, so a
   * re-run updates instead of duplicating. An array names a composite key (the `_id` is then an object).
   */
  key?: string | string[];
  /** A record without its key fails the run as bad data (default: it is counted as failed, logged and skipped). */
  strict?: boolean;
  /** Records per bulk write (default 1000). */
  batchSize?: number;
}

export interface UpsertResult {
  created: number;
  updated: number;
  unchanged: number;
  failed: number;
  skipped: number;
}

export interface Destination<T extends Record<string, unknown> = Record<string, unknown>> {
  readonly collection: string;
  /** Writes records (upsert by key) in unordered bulk batches and adds the outcome to the run's counts. */
  upsert(records: readonly T[]): Promise<UpsertResult>;
}

/** Collections Syncdeck keeps its own state in; a destination may never write there. */
export const RESERVED_COLLECTIONS = [
  'connectors',
  'runs',
  'runClaims',
  'checkpoints',
  'users',
  'apiTokens',
  'settings',
  'instances',
  'liveEvents',
  'agendaJobs',
];

/** Why a collection name cannot be a destination, or null when it can. */
export function collectionNameProblem(name: string): string | null {
  if (!/^[A-Za-z][A-Za-z0-9_-]{0,119}$/.test(name)) return 'must start with a letter and contain only letters, digits, _ or - (at most 120 characters)';
  if (RESERVED_COLLECTIONS.some((reserved) => reserved.toLowerCase() === name.toLowerCase())) {
    return `must not be one of Syncdeck's own collections (${RESERVED_COLLECTIONS.join(', ')})`;
  }
  return null;
}

/** Logs at most this many records without a key per run, then only the total. */
const MISSING_KEY_LOG_LIMIT = 5;

/** The `_id` of a record, or undefined when its key is missing. */
function keyOf(record: Record<string, unknown>, key: string | string[]): unknown {
  if (Array.isArray(key)) {
    const parts = key.map((path) => [path, getPath(record, path)] as const);
    return parts.some(([, value]) => value === undefined || value === null || value === '') ? undefined : Object.fromEntries(parts);
  }
  const value = getPath(record, key);
  return value === null || value === '' ? undefined : value;
}

export function createDestination<T extends Record<string, unknown>>({
  db,
  collection,
  options = {},
  counts,
  log,
}: {
  db: Db;
  collection: string;
  options?: DestinationOptions;
  counts: RunCounts;
  log: (level: LogLevel, message: string) => void;
}): Destination<T> {
  const problem = collectionNameProblem(collection);
  if (problem) throw new SyncError('config', `destination collection "${collection}": ${problem}`);
  const key = options.key ?? 'id';
  const keyName = Array.isArray(key) ? key.join('+') : key;
  const batchSize = options.batchSize ?? 1000;
  const target = db.collection<Document>(collection);
  let missingKeys = 0;

  async function writeBatch(batch: Map<string, { _id: unknown; fields: Document }>, result: UpsertResult) {
    const ops: AnyBulkWriteOperation<Document>[] = [...batch.values()].map(({ _id, fields }) => ({
      updateOne: { filter: { _id } as Document, update: { $set: fields }, upsert: true },
    }));
    if (ops.length === 0) return;
    let upserted: number, matched: number, modified: number;
    let failed = 0;
    try {
      const written = await target.bulkWrite(ops, { ordered: false });
      ({ upsertedCount: upserted, matchedCount: matched, modifiedCount: modified } = written);
    } catch (error) {
      if (!(error instanceof MongoBulkWriteError)) throw new SyncError('internal', `writing to ${collection} failed: ${(error as Error).message}`, { cause: error });
      // Unordered: the other operations were applied; count the ones that were not.
      const errors = Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors];
      failed = errors.length;
      ({ upsertedCount: upserted, matchedCount: matched, modifiedCount: modified } = error.result);
      log('warn', `${failed} of ${ops.length} records could not be written to ${collection}: ${errors[0]?.errmsg ?? error.message}`);
    }
    result.created += upserted;
    result.updated += modified;
    result.unchanged += matched - modified;
    result.failed += failed;
  }

  return {
    collection,
    async upsert(records) {
      const result: UpsertResult = { created: 0, updated: 0, unchanged: 0, failed: 0, skipped: 0 };
      // Records of one batch by key: a key seen twice keeps its last record (two upserts of one new key would race).
      let batch = new Map<string, { _id: unknown; fields: Document }>();
      for (const record of records) {
        const _id = keyOf(record, key);
        if (_id === undefined) {
          if (options.strict) throw new SyncError('bad-data', `a record has no "${keyName}" field (the destination key)`);
          result.failed++;
          if (++missingKeys <= MISSING_KEY_LOG_LIMIT) log('warn', `skipped a record without "${keyName}" (the destination key)${missingKeys === MISSING_KEY_LOG_LIMIT ? '; further ones are only counted' : ''}`);
          continue;
        }
        const { _id: _ignored, ...fields } = record;
        const id = JSON.stringify(_id);
        if (batch.has(id)) result.skipped++;
        batch.set(id, { _id, fields });
        if (batch.size >= batchSize) {
          await writeBatch(batch, result);
          batch = new Map();
        }
      }
      await writeBatch(batch, result);
      for (const field of ['created', 'updated', 'unchanged', 'failed', 'skipped'] as const) counts[field] += result[field];
      return result;
    },
  };
}
