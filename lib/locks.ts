import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Db } from 'mongodb';
import { isDuplicateKey } from '@/lib/write-errors';
import { collections } from '@/lib/store/collections';

export interface LockDoc {
  _id: string;
  owner: string;
  /** A holder that died leaves its lock behind; after this time another caller may take it over. */
  expiresAt: Date;
}

export class LockBusyError extends Error {
  constructor(name: string, waitedMs: number) {
    super(`lock ${name} is held elsewhere (waited ${waitedMs} ms)`);
    this.name = 'LockBusyError';
  }
}

const locks = collections.locks;

/** How often a caller waiting for a lock tries again. */
const RETRY_MS = 25;

/**
 * Runs `fn` while holding the lock `name`, across every instance on the database. Holding it means having inserted
 * its document: `_id` is unique on MongoDB and on the embedded FerretDB alike, so exactly one insert wins, where a
 * read-then-write check (FerretDB has neither transactions nor an atomic findAndModify) would let two callers
 * through. Waits up to `waitMs` for a holder to let go, then throws {@link LockBusyError}; a lock older than `ttlMs`
 * (its holder died) is taken over. `fn` must end well within `ttlMs`.
 */
export async function withLock<T>(db: Db, name: string, fn: () => Promise<T>, { ttlMs = 30_000, waitMs = 5000 }: { ttlMs?: number; waitMs?: number } = {}): Promise<T> {
  const owner = randomUUID();
  const started = Date.now();
  for (;;) {
    try {
      await locks(db).insertOne({ _id: name, owner, expiresAt: new Date(Date.now() + ttlMs) });
      break;
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
    // Taken over by deleting the expired holder's document only: whoever inserts next holds it.
    await locks(db).deleteOne({ _id: name, expiresAt: { $lt: new Date() } });
    if (Date.now() - started >= waitMs) throw new LockBusyError(name, Date.now() - started);
    await sleep(RETRY_MS);
  }
  try {
    return await fn();
  } finally {
    // The work is done (or failed) either way: a lock that cannot be let go now expires after `ttlMs`, and must not
    // turn a change that was made into an error.
    await locks(db)
      .deleteOne({ _id: name, owner })
      .catch(() => {});
  }
}
