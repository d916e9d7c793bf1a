import { createHmac, timingSafeEqual } from 'node:crypto';
import { ObjectId, type Db } from 'mongodb';
import { findActiveToken } from './tokens';

/**
 * The wall screen's cookie. Opening `/wall?token=<display token>` trades the token for this cookie: it carries the
 * token's id and an HMAC of it under a key derived from AUTH_SECRET, never the token itself. Each request looks the
 * token up again, so revoking it ends the wall's access at once.
 */
export const DISPLAY_COOKIE = 'syncdeck.display';

/** Browsers cap cookie lifetimes near 400 days; a wall runs for months between visits from an admin. */
export const DISPLAY_COOKIE_MAX_AGE_S = 180 * 24 * 60 * 60;

const keyOf = (secret: string) => createHmac('sha256', secret).update('syncdeck display cookie v1').digest();
const signatureOf = (tokenId: string, secret: string) => createHmac('sha256', keyOf(secret)).update(tokenId).digest('base64url');

/** The cookie value for a display token's id: `<id>.<signature>`. */
export function signDisplayCookie(tokenId: string, secret: string): string {
  return `${tokenId}.${signatureOf(tokenId, secret)}`;
}

/** The token id a cookie value carries when its signature holds, else null. */
export function verifyDisplayCookie(value: string, secret: string): string | null {
  const dot = value.indexOf('.');
  if (dot < 0 || value.length > 200) return null;
  const tokenId = value.slice(0, dot);
  if (!ObjectId.isValid(tokenId) || tokenId.length !== 24) return null;
  const given = Buffer.from(value.slice(dot + 1));
  const expected = Buffer.from(signatureOf(tokenId, secret));
  return given.length === expected.length && timingSafeEqual(given, expected) ? tokenId : null;
}

/** The Set-Cookie header that starts a wall session: httpOnly, SameSite=Lax, Secure on https. */
export function displayCookieHeader(value: string, options: { secure: boolean }): string {
  const parts = [`${DISPLAY_COOKIE}=${value}`, 'Path=/', `Max-Age=${DISPLAY_COOKIE_MAX_AGE_S}`, 'HttpOnly', 'SameSite=Lax'];
  if (options.secure) parts.push('Secure');
  return parts.join('; ');
}

/**
 * Trades a display token for the wall's cookie value. Only live tokens of the `display` role open a wall: any other
 * token would give the cookie more than read access. Answers null for anything else.
 */
export async function openDisplaySession({ db, token, secret }: { db: Db; token: string; secret: string }): Promise<{ cookie: string; name: string } | null> {
  const doc = await findActiveToken({ db, token });
  if (!doc || doc.role !== 'display') return null;
  return { cookie: signDisplayCookie(doc._id.toHexString(), secret), name: doc.name };
}
