import type { Collection, Db } from 'mongodb';
import { RateLimiterRes } from 'rate-limiter-flexible';
import RateLimiterStoreAbstract from 'rate-limiter-flexible/lib/RateLimiterStoreAbstract.js';
import { isFerretDb } from '@/lib/db-kind';

/** One consumed (or, negative, rewarded) batch of points of one limiter key. */
export interface AttemptDoc {
  key: string;
  points: number;
  /** When these points stop counting; null never. */
  expire: Date | null;
}

/** How often, at most, a process deletes expired attempts where the database has no TTL index (FerretDB). */
const PRUNE_EVERY_MS = 60_000;

const live = (key: string, now: Date) => ({ key, $or: [{ expire: { $gt: now } }, { expire: null }] });

/**
 * A rate-limiter-flexible store on MongoDB that inserts one document per consume and sums the live ones: a sliding
 * window. Inserts are the one write FerretDB 1.24 makes exactly under concurrency; the library's `RateLimiterMongo`
 * increments one counter with `findOneAndUpdate`, which FerretDB does not make atomic across connections (200
 * concurrent consumes from two clients counted 63 to 92 and left 4 documents for one key, since its unique index
 * comes after a TTL index FerretDB refuses). Two racing consumes may both see each other's point and both be
 * refused; neither is ever missed. On MongoDB a TTL index removes expired attempts; on FerretDB, which has none,
 * they are deleted by the writers at most once a minute.
 */
export class RateLimiterAttemptLog extends RateLimiterStoreAbstract {
  readonly #db: Db;
  readonly #collection: Collection<AttemptDoc>;
  #prunedAt = 0;

  constructor(options: { db: Db; collection: string; keyPrefix: string; points: number; duration: number }) {
    super({ storeClient: options.db, keyPrefix: options.keyPrefix, points: options.points, duration: options.duration });
    this.#db = options.db;
    this.#collection = options.db.collection<AttemptDoc>(options.collection);
  }

  #ready(): Promise<{ ttl: boolean }> {
    return ensureIndexes(this.#db, this.#collection);
  }

  async #liveDocs(key: string): Promise<AttemptDoc[]> {
    return this.#collection.find(live(key, new Date()), { projection: { _id: 0, key: 1, points: 1, expire: 1 } }).toArray();
  }

  async #prune(): Promise<void> {
    const { ttl } = await this.#ready();
    if (ttl || Date.now() - this.#prunedAt < PRUNE_EVERY_MS) return;
    this.#prunedAt = Date.now();
    await this.#collection.deleteMany({ expire: { $lte: new Date() } });
  }

  /** Library hook: adds points to a key (or, `forceExpire`, replaces them) and answers the key's live attempts. */
  async _upsert(key: string, points: number, msDuration: number, forceExpire = false): Promise<AttemptDoc[]> {
    await this.#ready();
    const expire = msDuration > 0 ? new Date(Date.now() + msDuration) : null;
    if (forceExpire) await this.#collection.deleteMany({ key });
    await this.#collection.insertOne({ key, points, expire });
    await this.#prune();
    return this.#liveDocs(key);
  }

  /** Library hook: the key's live attempts, or null when it has none. */
  async _get(key: string): Promise<AttemptDoc[] | null> {
    await this.#ready();
    const docs = await this.#liveDocs(key);
    return docs.length > 0 ? docs : null;
  }

  /** Library hook: forgets a key; true when it had attempts. */
  async _delete(key: string): Promise<boolean> {
    await this.#ready();
    return (await this.#collection.deleteMany({ key })).deletedCount > 0;
  }

  /**
   * Library hook: the points the live attempts add up to, and how long until enough of them expire for one more
   * point to fit (when the key is full) or until the oldest expires (otherwise).
   */
  _getRateLimiterRes(_key: string, changedPoints: number, docs: AttemptDoc[]): RateLimiterRes {
    const now = Date.now();
    const consumed = docs.reduce((sum, doc) => sum + doc.points, 0);
    const byExpiry = [...docs].sort((a, b) => (a.expire?.getTime() ?? Infinity) - (b.expire?.getTime() ?? Infinity));
    let remaining = consumed;
    let until: Date | null = byExpiry[0]?.expire ?? null;
    for (const doc of byExpiry) {
      if (remaining <= this.points - 1) break;
      remaining -= doc.points;
      until = doc.expire;
    }
    const msBeforeNext = until ? Math.max(until.getTime() - now, 0) : -1;
    return new RateLimiterRes(Math.max(this.points - consumed, 0), msBeforeNext, consumed, docs.length === 1 && consumed === changedPoints);
  }
}

/** Indexes per collection, made once per process: the key lookup, and expiry by TTL where the database has it. */
const indexes = new Map<string, Promise<{ ttl: boolean }>>();

function ensureIndexes(db: Db, collection: Collection<AttemptDoc>): Promise<{ ttl: boolean }> {
  const name = `${db.databaseName}.${collection.collectionName}`;
  let done = indexes.get(name);
  if (!done) {
    done = (async () => {
      await collection.createIndex({ key: 1, expire: 1 }, { name: 'key_expire' });
      if (await isFerretDb(db)) return { ttl: false };
      await collection.createIndex({ expire: 1 }, { name: 'expire_ttl', expireAfterSeconds: 0 });
      return { ttl: true };
    })();
    indexes.set(name, done);
    // A failure (the database unreachable) is tried again by the next call rather than remembered.
    done.catch(() => indexes.delete(name));
  }
  return done;
}
