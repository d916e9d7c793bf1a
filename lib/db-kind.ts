import { ObjectId, type Db, type Document } from 'mongodb';

const answers = new WeakMap<Db['client'], Promise<boolean>>();

/**
 * Whether the database is FerretDB (the embedded database, or one an operator runs), asked once per client: its
 * `buildInfo` names FerretDB's version. FerretDB answers a query by reading and decoding every document of the
 * collection, except a lookup of one `_id` that is a string or an ObjectId, which an index serves.
 */
export function isFerretDb(db: Db): Promise<boolean> {
  const client = db.client;
  let answer = answers.get(client);
  if (!answer) {
    answer = db.command({ buildInfo: 1 }).then(
      (info: Document) => info.ferretdbVersion !== undefined,
      () => {
        // Unknown this time (the database is unreachable): asked again next time, not remembered.
        answers.delete(client);
        return false;
      },
    );
    answers.set(client, answer);
  }
  return answer;
}

/** Whether FerretDB finds a document by this `_id` from its index (see {@link isFerretDb}). */
export const isIndexedIdOnFerretDb = (id: unknown): boolean => typeof id === 'string' || id instanceof ObjectId;
