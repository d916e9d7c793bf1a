import type { Db } from 'mongodb';
import { collections } from '@/lib/store/collections';

/** The scheduler's global switch, shared by every instance through the database and kept across restarts. */
export interface SchedulerState {
  paused: boolean;
  pausedAt?: Date;
  pausedBy?: string;
  resumedAt?: Date;
  resumedBy?: string;
}

interface SchedulerStateDoc extends SchedulerState {
  _id: 'scheduler';
}

const settings = (db: Db) => collections.settings<SchedulerStateDoc>(db);

export async function getSchedulerState({ db }: { db: Db }): Promise<SchedulerState> {
  const doc = await settings(db).findOne({ _id: 'scheduler' });
  if (!doc) return { paused: false };
  const { _id, ...state } = doc;
  return state;
}

/**
 * Pauses or resumes. Returns the state before the change, so the caller knows since when slots were missed;
 * `changed` is false when the scheduler already was in the asked state (nothing is written then).
 */
export async function setSchedulerPaused({ db, paused, by }: { db: Db; paused: boolean; by: string }): Promise<{ before: SchedulerState; changed: boolean }> {
  const before = await getSchedulerState({ db });
  if (before.paused === paused) return { before, changed: false };
  const now = new Date();
  const set = paused ? { paused, pausedAt: now, pausedBy: by } : { paused, resumedAt: now, resumedBy: by };
  await settings(db).updateOne({ _id: 'scheduler' }, { $set: set }, { upsert: true });
  return { before, changed: true };
}
