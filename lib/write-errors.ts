import type { MongoBulkWriteError, WriteError } from 'mongodb';

/**
 * MongoDB's code for a write refused by a unique index. Syncdeck leans on it: a run, a slot job or a claim is made
 * once by inserting it under a deterministic id, and the destination helper inserts first to find what exists.
 */
export const DUPLICATE_KEY = 11000;

export const isDuplicateKey = (error: unknown): boolean => (error as { code?: unknown } | null)?.code === DUPLICATE_KEY;

/** The per-document errors of a bulk write that failed in part, as a list. */
export function writeErrorsOf(error: MongoBulkWriteError): WriteError[] {
  return ([] as WriteError[]).concat(error.writeErrors);
}
