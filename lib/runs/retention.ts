import type { Db } from 'mongodb';
import { finishedStatuses } from '@/lib/domain/run';
import { runs } from './store';
import { collections } from '@/lib/store/collections';

const finished = [...finishedStatuses];

/**
 * Deletes finished runs older than `days`, and beyond the newest `perConnector` runs of each connector.
 * Runs still going are never deleted. Returns how many runs were removed.
 */
export async function pruneRuns({ db, days, perConnector, now = new Date() }: { db: Db; days: number; perConnector: number; now?: Date }): Promise<number> {
  const cutoff = new Date(now.getTime() - days * 86_400_000);
  let removed = (await runs(db).deleteMany({ status: { $in: finished }, queuedAt: { $lt: cutoff } })).deletedCount;
  for (const connectorId of await runs(db).distinct('connectorId')) {
    const oldestKept = await runs(db)
      .find({ connectorId }, { projection: { queuedAt: 1 } })
      .sort({ queuedAt: -1 })
      .skip(perConnector - 1)
      .limit(1)
      .next();
    if (!oldestKept) continue;
    removed += (await runs(db).deleteMany({ connectorId, status: { $in: finished }, queuedAt: { $lt: oldestKept.queuedAt } })).deletedCount;
  }
  // Claims only guard a run's start; a day later they protect nothing.
  await collections.runClaims(db).deleteMany({ at: { $lt: new Date(now.getTime() - 86_400_000) } });
  return removed;
}
