import type { Db, Document } from 'mongodb';

/** What the database Syncdeck runs on can do; queries that must differ between databases choose by it. */
export interface Capabilities {
  /** FerretDB (the embedded database, or one an operator runs): full scans for anything but an `_id` lookup. */
  ferretdb: boolean;
  /** Change streams: MongoDB as a replica set or behind a sharded cluster's router. */
  changeStreams: boolean;
  /** Multi-document transactions: a replica set (MongoDB 4.0+) or a sharded cluster (4.2+). */
  transactions: boolean;
}

/** What is assumed while the database cannot be asked: the common subset. */
export const NO_CAPABILITIES: Capabilities = { ferretdb: false, changeStreams: false, transactions: false };

/** MongoDB's wire versions of 4.0 and 4.2, the first with transactions on replica sets and on sharded clusters. */
const WIRE_VERSION_4_0 = 7;
const WIRE_VERSION_4_2 = 8;

/** Derives the capabilities from the answers to `buildInfo` and `hello`. */
export function capabilitiesOf(buildInfo: Document, hello: Document): Capabilities {
  const ferretdb = buildInfo.ferretdbVersion !== undefined;
  const replicaSet = typeof hello.setName === 'string';
  const sharded = hello.msg === 'isdbgrid';
  const wire = typeof hello.maxWireVersion === 'number' ? hello.maxWireVersion : 0;
  const changeStreams = !ferretdb && (replicaSet || sharded);
  const transactions = changeStreams && wire >= (sharded ? WIRE_VERSION_4_2 : WIRE_VERSION_4_0);
  return { ferretdb, changeStreams, transactions };
}

const answers = new WeakMap<Db['client'], Promise<Capabilities>>();

/**
 * The database's capabilities, asked once per client. While the database is unreachable the answer is
 * {@link NO_CAPABILITIES} and is not remembered, so the next call asks again.
 */
export function capabilities(db: Db): Promise<Capabilities> {
  const client = db.client;
  let answer = answers.get(client);
  if (!answer) {
    // A server that does not know `hello` is answered as a standalone one; an unreachable one fails buildInfo too.
    answer = Promise.all([db.command({ buildInfo: 1 }), db.command({ hello: 1 }).catch(() => ({}))]).then(
      ([buildInfo, hello]) => capabilitiesOf(buildInfo, hello),
      () => {
        answers.delete(client);
        return NO_CAPABILITIES;
      },
    );
    answers.set(client, answer);
  }
  return answer;
}
