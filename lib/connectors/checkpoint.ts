import type { Db } from 'mongodb';
import type { CheckpointStore } from './kind';
import { collections } from '@/lib/store/collections';

/**
 * Per-connector incremental state in the `checkpoints` collection. The value is kept as JSON text, so any
 * JSON a connector (or a script over the command protocol) produces round-trips exactly, whatever its keys.
 */
export interface CheckpointDoc {
  _id: string;
  json: string;
  updatedAt: Date;
  /** The run that saved it. */
  runId: string;
}

export const checkpoints = collections.checkpoints;

export async function readCheckpoint({ db, connectorId }: { db: Db; connectorId: string }): Promise<{ value: unknown; updatedAt: Date; runId: string } | null> {
  const doc = await checkpoints(db).findOne({ _id: connectorId });
  return doc ? { value: JSON.parse(doc.json) as unknown, updatedAt: doc.updatedAt, runId: doc.runId } : null;
}

export async function deleteCheckpoint({ db, connectorId }: { db: Db; connectorId: string }): Promise<boolean> {
  return (await checkpoints(db).deleteOne({ _id: connectorId })).deletedCount === 1;
}

function toJson(value: unknown): string {
  const json = JSON.stringify(value);
  if (json === undefined) throw new TypeError('a checkpoint must be a JSON value (not undefined or a function)');
  return json;
}

/** The checkpoint of one run: loaded at its start, saved on `commit` or when the run succeeds ({@link finish}). */
export async function openCheckpoint({ db, connectorId, runId }: { db: Db; connectorId: string; runId: string }): Promise<CheckpointStore & { finish(): Promise<void> }> {
  const saved = await checkpoints(db).findOne({ _id: connectorId });
  let current: string | undefined = saved?.json;
  let pending: string | undefined;

  const save = async (json: string) => {
    await checkpoints(db).updateOne({ _id: connectorId }, { $set: { json, updatedAt: new Date(), runId } }, { upsert: true });
  };

  return {
    get<T>() {
      const json = pending ?? current;
      return json === undefined ? undefined : (JSON.parse(json) as T);
    },
    set(value) {
      pending = toJson(value);
    },
    async commit(...args: unknown[]) {
      const json = args.length > 0 ? toJson(args[0]) : pending;
      if (json === undefined) return;
      await save(json);
      current = json;
      if (pending === json) pending = undefined;
    },
    /** Saves the value set last, if it was not committed: called once the run has succeeded. */
    async finish() {
      if (pending === undefined || pending === current) return;
      await save(pending);
      current = pending;
      pending = undefined;
    },
  };
}
