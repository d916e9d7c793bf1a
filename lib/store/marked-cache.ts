import { ObjectId, type Db } from 'mongodb';
import { collections } from './collections';

const markers = (db: Db) => collections.settings<{ _id: string; rev: string; at: Date }>(db);

/** Freezes a value and everything in it (Dates included: their setters still work, so they are left as they are). */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !(value instanceof Date) && !Object.isFrozen(value)) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/**
 * A whole-collection read kept per database and reused while a change marker (a `settings` document found by `_id`)
 * says nothing was written since: every writer calls `note` after its write has landed, so a process that read
 * everything can tell, with one lookup by `_id`, whether what it read still holds — across instances too.
 *
 * The value is shared by every caller and frozen. Callers that find the marker a read in progress was started under
 * wait for that read instead of starting their own. Reused `maxAgeMs` at most even when no change was noted (a
 * process that died between a write and its note).
 */
export function markedCache<T>(markerId: string, read: (db: Db) => Promise<T>, maxAgeMs = 30_000) {
  const cache = new WeakMap<Db, { rev: string; at: number; value: T }>();
  const reads = new WeakMap<Db, { rev: string; read: Promise<T> }>();

  async function note(db: Db): Promise<void> {
    await markers(db).updateOne({ _id: markerId }, { $set: { rev: new ObjectId().toHexString(), at: new Date() } }, { upsert: true });
  }

  async function get(db: Db): Promise<T> {
    let marker = await markers(db).findOne({ _id: markerId });
    if (!marker) {
      await note(db);
      marker = await markers(db).findOne({ _id: markerId });
    }
    const cached = cache.get(db);
    if (cached && marker && cached.rev === marker.rev && Date.now() - cached.at < maxAgeMs) return cached.value;
    const inProgress = reads.get(db);
    if (marker && inProgress?.rev === marker.rev) return inProgress.read;
    // Read after the marker: a write landing meanwhile leaves a newer marker, so the next call reads again.
    const pending = read(db).then((value) => deepFreeze(value));
    if (marker) reads.set(db, { rev: marker.rev, read: pending });
    try {
      const value = await pending;
      if (marker) cache.set(db, { rev: marker.rev, at: Date.now(), value });
      return value;
    } finally {
      if (reads.get(db)?.read === pending) reads.delete(db);
    }
  }

  return { note, get };
}
