import { ObjectId, type Db } from 'mongodb';
import { capabilities } from '@/lib/store/capabilities';

/**
 * Whether the database is FerretDB (the embedded database, or one an operator runs), read from its
 * {@link capabilities}. FerretDB answers a query by reading and decoding every document of the collection, except a
 * lookup of one `_id` that is a string or an ObjectId, which an index serves.
 */
export const isFerretDb = async (db: Db): Promise<boolean> => (await capabilities(db)).ferretdb;

/** Whether FerretDB finds a document by this `_id` from its index (see {@link isFerretDb}). */
export const isIndexedIdOnFerretDb = (id: unknown): boolean => typeof id === 'string' || id instanceof ObjectId;
