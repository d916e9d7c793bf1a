import type { Db } from 'mongodb';
import { RateLimiterRes } from 'rate-limiter-flexible';
import { ApiError } from '@/lib/api/errors';
import { json } from '@/lib/api/http';
import { getRuntime } from '@/lib/runtime';
import { hashingLoad } from '@/lib/users/password';
import { RateLimiterAttemptLog } from './attempt-log-store';
import { CLIENT_ADDRESS_HEADER } from './client-address';
import { rateLimitedSignInError, SERVER_BUSY_ERROR, SERVER_BUSY_MESSAGE, tooManyAttemptsMessage } from './sign-in-refusal';
import { collections } from '@/lib/store/collections';

/**
 * Failed sign-ins allowed within the window (SIGN_IN_WINDOW_S), per limit:
 * - `pair`: one address on one account; ends with a successful sign-in. Guessing stops here.
 * - `account`: one account from every address together; looser, so that an attacker guessing from one address
 *   never locks the real user out, and one with many addresses gets few guesses each.
 * - `address`: one address on every account together (spraying one password over many accounts).
 * A refused attempt is not counted, so waiting out Retry-After always works; the account limit can lock its user
 * out for a window, which is the price of stopping a guesser with many addresses.
 */
export const SIGN_IN_LIMITS = { pair: 5, account: 20, address: 50 } as const;
export type SignInLimit = keyof typeof SIGN_IN_LIMITS;
const LIMITS = Object.keys(SIGN_IN_LIMITS) as SignInLimit[];

/** Hashes allowed to wait for a slot; a sign-in beyond that is answered 503 at once (see password.ts). */
const MAX_WAITING_HASHES = 32;

/** Where attempts are kept: one collection shared by every instance on the database. */
export const SIGN_IN_ATTEMPTS_COLLECTION = collections.signInAttempts.collectionName;

/** Emails as accounts are keyed: Unicode-normalised, trimmed, lower case. */
export const normaliseEmail = (email: string) => email.normalize('NFKC').trim().toLowerCase();

type Limiters = Record<SignInLimit, RateLimiterAttemptLog>;
const limiters = new WeakMap<Db, { windowS: number; limiters: Limiters }>();

function limitersFor(db: Db, windowS: number): Limiters {
  const cached = limiters.get(db);
  if (cached?.windowS === windowS) return cached.limiters;
  const made = Object.fromEntries(
    LIMITS.map((limit) => [
      limit,
      new RateLimiterAttemptLog({ db, collection: SIGN_IN_ATTEMPTS_COLLECTION, keyPrefix: `sign-in-${limit}`, points: SIGN_IN_LIMITS[limit], duration: windowS }),
    ]),
  ) as Limiters;
  limiters.set(db, { windowS, limiters: made });
  return made;
}

const keysOf = (email: string, address: string): Record<SignInLimit, string> => {
  const account = normaliseEmail(email);
  return { pair: `${address} ${account}`, account, address };
};

export interface SignInAttempt {
  db: Db;
  windowS: number;
  email: string;
  address: string;
}

export type SignInReservation = { allowed: true } | { allowed: false; limit: SignInLimit; retryAfterS: number };

function refusal(full: Array<{ limit: SignInLimit; res: RateLimiterRes }>): SignInReservation {
  const longest = full.reduce((a, b) => (b.res.msBeforeNext > a.res.msBeforeNext ? b : a));
  return { allowed: false, limit: longest.limit, retryAfterS: Math.max(1, Math.ceil(longest.res.msBeforeNext / 1000)) };
}

/**
 * Counts a sign-in attempt against every limit before its password is checked, so that concurrent attempts cannot
 * slip past a limit while their hashes run; {@link recordSignInSuccess} takes a successful one back. An attempt
 * that finds a limit already full is refused without being counted.
 */
export async function reserveSignInAttempt({ db, windowS, email, address }: SignInAttempt): Promise<SignInReservation> {
  const limiter = limitersFor(db, windowS);
  const keys = keysOf(email, address);
  const current = await Promise.all(LIMITS.map(async (limit) => ({ limit, res: await limiter[limit].get(keys[limit]) })));
  const full = current.filter((c): c is { limit: SignInLimit; res: RateLimiterRes } => c.res !== null && c.res.consumedPoints >= SIGN_IN_LIMITS[c.limit]);
  if (full.length > 0) return refusal(full);

  const consumed = await Promise.allSettled(LIMITS.map((limit) => limiter[limit].consume(keys[limit])));
  const over: Array<{ limit: SignInLimit; res: RateLimiterRes }> = [];
  consumed.forEach((result, i) => {
    if (result.status === 'fulfilled') return;
    // The library rejects with the limit's state when it is over, and with an Error when the store failed.
    if (!(result.reason instanceof RateLimiterRes)) throw result.reason;
    over.push({ limit: LIMITS[i]!, res: result.reason });
  });
  return over.length > 0 ? refusal(over) : { allowed: true };
}

/** A successful sign-in: the address's consecutive failures on the account end, and the attempt is not counted. */
export async function recordSignInSuccess({ db, windowS, email, address }: SignInAttempt): Promise<void> {
  const limiter = limitersFor(db, windowS);
  const keys = keysOf(email, address);
  await Promise.all([limiter.pair.delete(keys.pair), limiter.account.reward(keys.account), limiter.address.reward(keys.address)]);
}

/** The client address the server stamped on the request (see client-address.ts). */
export const requestAddress = (headers: Headers | Record<string, unknown> | undefined): string => {
  const value = headers instanceof Headers ? headers.get(CLIENT_ADDRESS_HEADER) : headers?.[CLIENT_ADDRESS_HEADER];
  return typeof value === 'string' && value ? value : 'unknown';
};

/** The email of a credentials sign-in, read from a copy of the request as next-auth will read it (form or JSON). */
async function emailOf(req: Request): Promise<string | null> {
  const type = req.headers.get('content-type') ?? '';
  let email: unknown;
  try {
    if (type.includes('application/json')) email = ((await req.clone().json()) as { email?: unknown } | null)?.email;
    else if (type.includes('application/x-www-form-urlencoded')) email = new URLSearchParams(await req.clone().text()).get('email');
  } catch {
    return null;
  }
  return typeof email === 'string' && email.length > 0 && email.length <= 320 ? email : null;
}

/**
 * Checked before next-auth handles a credentials sign-in: answers 429 with Retry-After when a limit is full, and
 * 503 when too many password checks are already waiting; null lets the sign-in go on (counted). next-auth itself
 * would turn any refusal into a redirect, so the status would not reach the client.
 */
export async function guardCredentialsSignIn(req: Request): Promise<Response | null> {
  const email = await emailOf(req);
  // Without an email next-auth refuses the attempt before any hash.
  if (email === null) return null;
  const { db, config, logger } = getRuntime();
  const address = requestAddress(req.headers);
  // next-auth's client reads `url` and the `error` in it (see sign-in-refusal.ts).
  const loginUrl = (error: string) => new URL(`/login?error=${encodeURIComponent(error)}`, req.url).toString();
  if (hashingLoad().pending >= MAX_WAITING_HASHES) {
    logger.warn({ email, address }, 'sign-in refused: too many password checks waiting');
    const body = new ApiError('unavailable', SERVER_BUSY_MESSAGE).toBody();
    return json({ ...body, url: loginUrl(SERVER_BUSY_ERROR) }, { status: 503, headers: { 'retry-after': '2' } });
  }
  let reservation: SignInReservation;
  try {
    reservation = await reserveSignInAttempt({ db, windowS: config.signInWindowS, email, address });
  } catch (err) {
    // Without its counts no attempt goes on: a database that cannot count cannot check a password either.
    logger.error({ err, email, address }, 'sign-in refused: the attempt could not be counted');
    const body = new ApiError('unavailable', 'Sign-in is unavailable right now; try again shortly.').toBody();
    return json({ ...body, url: loginUrl('Unavailable') }, { status: 503, headers: { 'retry-after': '5' } });
  }
  if (reservation.allowed) return null;
  const { limit, retryAfterS } = reservation;
  logger.warn({ email, address, limit, retryAfterS }, 'sign-in refused: too many attempts');
  const body = new ApiError('rate_limited', tooManyAttemptsMessage(retryAfterS)).toBody();
  return json({ ...body, url: loginUrl(rateLimitedSignInError(retryAfterS)) }, { status: 429, headers: { 'retry-after': String(retryAfterS) } });
}
