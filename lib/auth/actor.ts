import type { Db } from 'mongodb';
import { decode } from 'next-auth/jwt';
import { getUserById } from '@/lib/users/users';
import type { Role, UserRole } from './roles';
import { DISPLAY_COOKIE, verifyDisplayCookie } from './display-session';
import { isSessionRevoked } from './session-revocation';
import { findActiveToken, findActiveTokenById } from './tokens';

/** Who is asking: a signed-in user or an API token. Every permission check takes one of these. */
export type Actor =
  | {
      kind: 'user';
      id: string;
      email: string;
      name: string;
      role: UserRole;
      /** The browser session's own id (see session-revocation.ts); absent in sessions signed in before ids existed. */
      sessionId?: string;
    }
  | { kind: 'token'; id: string; name: string; role: Role };

/** How an actor is named in run records and the audit log. */
export function actorLabel(actor: Actor): string {
  return actor.kind === 'user' ? actor.email : `token:${actor.name}`;
}

const SESSION_COOKIES = ['__Secure-next-auth.session-token', 'next-auth.session-token'];

function parseCookies(header: string): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    try {
      cookies.set(name, decodeURIComponent(part.slice(eq + 1).trim()));
    } catch {
      // A malformed cookie is simply not ours.
    }
  }
  return cookies;
}

/** Reads the session JWT from a Cookie header, joining chunked cookies (`name.0`, `name.1`, …) when present. */
export function readSessionCookie(header: string | null | undefined): string | null {
  if (!header) return null;
  const cookies = parseCookies(header);
  for (const name of SESSION_COOKIES) {
    const whole = cookies.get(name);
    if (whole) return whole;
    const chunks: string[] = [];
    for (let i = 0; cookies.has(`${name}.${i}`); i++) chunks.push(cookies.get(`${name}.${i}`)!);
    if (chunks.length) return chunks.join('');
  }
  return null;
}

/** What a valid session JWT carries: the user id and when its sign-in happened (ms; null in sessions older than that). */
export interface Session {
  userId: string;
  signedInAt: number | null;
  /** The session's own id, kept across renewals; signing out revokes it. */
  sessionId: string | null;
}

/** The session a valid JWT carries, or null for a missing, forged or expired one. */
export async function readSession(sessionToken: string, secret: string): Promise<Session | null> {
  try {
    const payload = await decode({ token: sessionToken, secret });
    if (typeof payload?.uid !== 'string') return null;
    return {
      userId: payload.uid,
      signedInAt: typeof payload.signedInAt === 'number' ? payload.signedInAt : null,
      sessionId: typeof payload.sid === 'string' ? payload.sid : null,
    };
  } catch {
    return null;
  }
}

/** Whether a session still counts for its user: not after a password change that came later than its sign-in. */
export function sessionStillValid(session: Pick<Session, 'signedInAt'> & Partial<Session>, user: { sessionsValidFrom?: Date }): boolean {
  if (!user.sessionsValidFrom) return true;
  return session.signedInAt !== null && session.signedInAt >= user.sessionsValidFrom.getTime();
}

/**
 * Authenticates a request or socket handshake by `Authorization: Bearer <api token>`, the session cookie, or the
 * wall screen's display cookie (read-only, display role).
 * A session counts only while its user exists and is enabled, has not been signed out, and not when the password
 * changed after its sign-in; the role is read fresh, never trusted from the cookie.
 */
export async function authenticate(input: {
  db: Db;
  secret: string;
  authorization?: string | null;
  cookie?: string | null;
  bearer?: string | null;
}): Promise<Actor | null> {
  const bearer = input.bearer ?? input.authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
  if (bearer) {
    const token = await findActiveToken({ db: input.db, token: bearer });
    return token ? { kind: 'token', id: token._id.toHexString(), name: token.name, role: token.role } : null;
  }
  const session = readSessionCookie(input.cookie);
  if (session) {
    const found = await readSession(session, input.secret);
    if (!found) return null;
    const [user, revoked] = await Promise.all([
      getUserById({ db: input.db, id: found.userId }),
      found.sessionId ? isSessionRevoked({ db: input.db, sessionId: found.sessionId }) : false,
    ]);
    if (!user || user.disabled || revoked || !sessionStillValid(found, user)) return null;
    return { kind: 'user', id: found.userId, email: user.email, name: user.name, role: user.role, ...(found.sessionId ? { sessionId: found.sessionId } : {}) };
  }
  return displayActor(input);
}

/** The wall screen's display cookie: its token must still be live and still a display token. */
async function displayActor(input: { db: Db; secret: string; cookie?: string | null }): Promise<Actor | null> {
  const value = input.cookie ? parseCookies(input.cookie).get(DISPLAY_COOKIE) : undefined;
  const tokenId = value ? verifyDisplayCookie(value, input.secret) : null;
  if (!tokenId) return null;
  const token = await findActiveTokenById({ db: input.db, id: tokenId });
  return token?.role === 'display' ? { kind: 'token', id: tokenId, name: token.name, role: 'display' } : null;
}
