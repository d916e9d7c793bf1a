import { createHash } from 'node:crypto';
import { MongoBulkWriteError, type AnyBulkWriteOperation, type Db, type Document } from 'mongodb';
import { isFerretDb, isIndexedIdOnFerretDb } from '@/lib/db-kind';
import { RESERVED_COLLECTIONS } from '@/lib/store/collections';
import { DUPLICATE_KEY, writeErrorsOf } from '@/lib/write-errors';
import type { LogLevel, RunCounts } from '@/lib/domain/run';
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

/**
 * Field every destination document carries: a hash of the record's content as last written. It lets a write tell
 * created, updated and unchanged records apart from the write results alone, without reading records back.
 */
export const CONTENT_HASH_FIELD = '_syncdeckHash';

/** The content hash of a record's fields (key order as the upstream sent them). */
export function contentHash(fields: Document): string {
  return createHash('sha1').update(JSON.stringify(fields)).digest('base64url');
}

function withoutOwnFields(record: Document): Document {
  const { _id: _ignored, [CONTENT_HASH_FIELD]: _ownField, ...fields } = record;
  return fields;
}

type Pending = { _id: unknown; fields: Document; hash: string };

/**
 * FerretDB (1.24 on SQLite) never answers an `update` command of 100 statements or more: the connection just waits.
 * Updates go to it in slices well below that; other databases get a batch's updates in one command.
 */
const FERRETDB_UPDATE_SLICE = 50;

/**
 * Writes records by key in batches of `batchSize`, with three round trips per batch (a few more on FerretDB, see 3.)
 * and none per record:
 * 1. one unordered insert of the whole batch: records with a new key are inserted (`created`). Databases insert a
 *    batch far faster than they upsert it (FerretDB on SQLite: about 60 times, see tools/bench/README.md);
 * 2. for the records whose key existed (the duplicate-key errors of step 1), one query reads the stored content
 *    hashes: equal ones are `unchanged` and are not written at all (on FerretDB all are written: see `changedOf`);
 * 3. one unordered bulk update of the records whose content changed (`updated`; on FerretDB in slices of 50).
 * With `strict` off, a record without its key is counted as failed and skipped.
 */
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

  const internal = (error: unknown) => new SyncError('internal', `writing to ${collection} failed: ${(error as Error).message}`, { cause: error });
  const warnFailed = (failed: number, of: number, first: string | undefined) =>
    log('warn', `${failed} of ${of} records could not be written to ${collection}: ${first ?? 'write error'}`);

  /** Step 1: inserts; returns the records whose key exists already. */
  async function insertNew(batch: Pending[], result: UpsertResult): Promise<Pending[]> {
    const docs = batch.map(({ _id, fields, hash }) => ({ ...fields, _id, [CONTENT_HASH_FIELD]: hash }) as Document);
    try {
      const inserted = await target.insertMany(docs, { ordered: false });
      result.created += inserted.insertedCount;
      return [];
    } catch (error) {
      if (!(error instanceof MongoBulkWriteError)) throw internal(error);
      const existing: Pending[] = [];
      let failed = 0;
      let firstProblem: string | undefined;
      for (const writeError of writeErrorsOf(error)) {
        if (writeError.code === DUPLICATE_KEY) existing.push(batch[writeError.index]!);
        else {
          failed++;
          firstProblem ??= writeError.errmsg;
        }
      }
      result.created += batch.length - existing.length - failed;
      result.failed += failed;
      if (failed) warnFailed(failed, batch.length, firstProblem);
      return existing;
    }
  }

  /**
   * The records whose stored content hash differs (one query per batch); the others are counted unchanged.
   * FerretDB answers that `$in` by reading the whole collection, but finds a string or ObjectId key from an index:
   * there, writing every record by key costs less than reading first (a batch of 10: 2 ms against 7 ms for ten
   * lookups), and a write that changes nothing is counted matched, not modified, so the counts come out the same.
   */
  async function changedOf(existing: Pending[], result: UpsertResult): Promise<Pending[]> {
    if ((await isFerretDb(db)) && existing.every((record) => isIndexedIdOnFerretDb(record._id))) return existing;
    const stored = new Map<string, unknown>();
    try {
      const cursor = target.find({ _id: { $in: existing.map((record) => record._id) } } as Document, { projection: { _id: 1, [CONTENT_HASH_FIELD]: 1 } });
      for await (const doc of cursor) stored.set(JSON.stringify(doc._id), doc[CONTENT_HASH_FIELD]);
    } catch (error) {
      throw internal(error);
    }
    const changed = existing.filter((record) => stored.get(JSON.stringify(record._id)) !== record.hash);
    result.unchanged += existing.length - changed.length;
    return changed;
  }

  /** Step 2: of the records whose key exists, rewrites those whose content changed (upsert, in case one was deleted meanwhile). */
  async function updateChanged(existing: Pending[], result: UpsertResult): Promise<void> {
    if (existing.length === 0) return;
    const changed = await changedOf(existing, result);
    if (changed.length === 0) return;
    const ops: AnyBulkWriteOperation<Document>[] = changed.map(({ _id, fields, hash }) => ({
      updateOne: { filter: { _id } as Document, update: { $set: { ...fields, [CONTENT_HASH_FIELD]: hash } }, upsert: true },
    }));
    const slice = (await isFerretDb(db)) ? FERRETDB_UPDATE_SLICE : ops.length;
    let failed = 0;
    let firstProblem: string | undefined;
    for (let from = 0; from < ops.length; from += slice) {
      let upserted: number, matched: number, modified: number;
      try {
        ({ upsertedCount: upserted, matchedCount: matched, modifiedCount: modified } = await target.bulkWrite(ops.slice(from, from + slice), { ordered: false }));
      } catch (error) {
        if (!(error instanceof MongoBulkWriteError)) throw internal(error);
        const errors = writeErrorsOf(error);
        failed += errors.length;
        firstProblem ??= errors[0]?.errmsg;
        ({ upsertedCount: upserted, matchedCount: matched, modifiedCount: modified } = error.result);
      }
      result.created += upserted;
      result.updated += modified;
      // Matched but not modified: the same content (on FerretDB, where nothing was read first; elsewhere, another
      // writer stored it in between).
      result.unchanged += matched - modified;
    }
    result.failed += failed;
    if (failed) warnFailed(failed, changed.length, firstProblem);
  }

  async function writeBatch(batch: Map<string, Pending>, result: UpsertResult): Promise<void> {
    const records = [...batch.values()];
    if (records.length === 0) return;
    await updateChanged(await insertNew(records, result), result);
  }

  return {
    collection,
    async upsert(records) {
      const result: UpsertResult = { created: 0, updated: 0, unchanged: 0, failed: 0, skipped: 0 };
      // Records of one batch by key: a key seen twice keeps its last record (two writes of one new key would race).
      let batch = new Map<string, Pending>();
      for (const record of records) {
        const _id = keyOf(record, key);
        if (_id === undefined) {
          if (options.strict) throw new SyncError('bad-data', `a record has no "${keyName}" field (the destination key)`);
          result.failed++;
          if (++missingKeys <= MISSING_KEY_LOG_LIMIT) log('warn', `skipped a record without "${keyName}" (the destination key)${missingKeys === MISSING_KEY_LOG_LIMIT ? '; further ones are only counted' : ''}`);
          continue;
        }
        // The record's own fields, copied only when it carries an `_id` or a hash field of its own (rare): fewer
        // copies of every record keep a large run's memory down.
        const fields: Document = '_id' in record || CONTENT_HASH_FIELD in record ? withoutOwnFields(record) : record;
        const id = JSON.stringify(_id);
        if (batch.has(id)) result.skipped++;
        batch.set(id, { _id, fields, hash: contentHash(fields) });
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
