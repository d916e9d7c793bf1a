import { ObjectId, type Db } from 'mongodb';
import { collections } from '@/lib/store/collections';

/**
 * Signed-out sessions. A session cookie is a self-contained JWT, so signing out only deletes the browser's copy;
 * a copy taken before would stay valid until it expires. Each session therefore carries an id of its own (`sid`,
 * set at sign-in and kept when the cookie is renewed), and signing out records that id here: every request and
 * every live socket of that session is refused from then on, while the user's other browsers stay signed in.
 *
 * An entry is kept until no copy of the cookie can be alive any more: a cookie lives at most the session's
 * maximum age after its last renewal, which came before the sign-out. FerretDB has no TTL indexes, so expired
 * entries are removed at each sign-out.
 */

export interface RevokedSessionDoc {
  /** The session's `sid`. */
  _id: string;
  userId: string;
  revokedAt: Date;
  /** After this, no cookie of the session can be valid anyway. */
  until: Date;
}

const revokedSessions = collections.revokedSessions;

/**
 * Ends a session for good. A session signed in before sessions had an id cannot be named alone: then every session
 * of the user signed in until now ends (as after a password change).
 */
export async function revokeSession({ db, userId, sessionId, maxAgeS, now = new Date() }: { db: Db; userId: string; sessionId?: string; maxAgeS: number; now?: Date }): Promise<void> {
  if (!sessionId) {
    if (ObjectId.isValid(userId)) await collections.users(db).updateOne({ _id: new ObjectId(userId) }, { $set: { sessionsValidFrom: now } });
    return;
  }
  await revokedSessions(db).deleteMany({ until: { $lt: now } });
  await revokedSessions(db).updateOne({ _id: sessionId }, { $set: { userId, revokedAt: now, until: new Date(now.getTime() + maxAgeS * 1000) } }, { upsert: true });
}

/** Whether a session was signed out (one lookup by `_id`). */
export async function isSessionRevoked({ db, sessionId }: { db: Db; sessionId: string }): Promise<boolean> {
  return (await revokedSessions(db).findOne({ _id: sessionId }, { projection: { _id: 1 } })) !== null;
}

/** Which of these sessions were signed out (for live sockets; the collection holds only recent sign-outs). */
export async function revokedSessionIds({ db, ids }: { db: Db; ids: string[] }): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const found = await revokedSessions(db).find({ _id: { $in: ids } }, { projection: { _id: 1 } }).toArray();
  return new Set(found.map((d) => d._id));
}
