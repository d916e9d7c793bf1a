/**
 * The origin rule: a state change made with a browser credential (the session cookie, the wall's display cookie)
 * counts only when the browser says it comes from Syncdeck's own origin. One rule, used by the API route wrapper
 * (`route()` in ./http.ts), next-auth's endpoints and the Socket.IO handshake (server/realtime.ts).
 *
 * Syncdeck's origin is the one of `PUBLIC_URL` when set. Without it, it is the origin the request reached:
 * `X-Forwarded-Proto`/`X-Forwarded-Host` when a proxy sent them, else `http` and `Host`. Trusting those headers is
 * safe for this check: a page on another site cannot set them (they are not CORS-safelisted, so a browser sends
 * them only after a preflight Syncdeck never approves, and never in `no-cors` mode), and a client that can set any
 * header is not a victim's browser carrying someone else's cookie.
 */

/** Reads one request header (lower-case name); `undefined` when absent. */
export type HeaderReader = (name: string) => string | undefined;

/** Headers of a Fetch `Request`. */
export const fetchHeaders =
  (headers: Headers): HeaderReader =>
  (name) =>
    headers.get(name) ?? undefined;

/** Headers of a Node `IncomingMessage` (the Socket.IO handshake). */
export const nodeHeaders =
  (headers: Record<string, string | string[] | undefined>): HeaderReader =>
  (name) => {
    const value = headers[name];
    return Array.isArray(value) ? value[0] : value;
  };

/** Where a request says it came from, compared with Syncdeck's origin. */
export type OriginVerdict =
  /** Origin or Referer names Syncdeck's origin, or Sec-Fetch-Site says same-origin. */
  | { kind: 'same' }
  /** A browser said the request comes from elsewhere; `reason` names what it said. */
  | { kind: 'cross'; reason: string }
  /** Nothing says where it came from (no Origin, Referer or Sec-Fetch-Site): not a browser's state change. */
  | { kind: 'unknown' };

const first = (value: string | undefined) => value?.split(',')[0]?.trim() || undefined;

function originOf(url: string | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.origin : null;
  } catch {
    return null;
  }
}

/** Syncdeck's own origin for this request: `PUBLIC_URL`'s, else the forwarded or direct host (see the module doc). */
export function expectedOrigin(header: HeaderReader, publicUrl: string | undefined): string | null {
  if (publicUrl) return originOf(publicUrl);
  const proto = first(header('x-forwarded-proto'))?.toLowerCase();
  const host = first(header('x-forwarded-host')) ?? header('host');
  if (!host) return null;
  return originOf(`${proto === 'https' ? 'https' : 'http'}://${host}`);
}

/**
 * Judges where a request came from. Sec-Fetch-Site other than `same-origin` is cross (`same-site` included: a
 * sibling subdomain or another port is another origin); then Origin, or when the browser sent none, the origin of
 * Referer must be Syncdeck's. `Origin: null` (sandboxed frames, some redirects) is cross.
 */
export function judgeOrigin(header: HeaderReader, publicUrl: string | undefined): OriginVerdict {
  const expected = expectedOrigin(header, publicUrl);
  const site = header('sec-fetch-site')?.toLowerCase();
  if (site && site !== 'same-origin') return { kind: 'cross', reason: `Sec-Fetch-Site is ${site}` };
  const origin = header('origin');
  const referer = header('referer');
  if (origin === undefined && referer === undefined) return site ? { kind: 'same' } : { kind: 'unknown' };
  const [what, from] = origin !== undefined ? (['Origin', origin] as const) : (['Referer', referer!] as const);
  const actual = originOf(from);
  if (!expected || actual !== expected) return { kind: 'cross', reason: `${what} ${actual ?? JSON.stringify(from.slice(0, 100))} is not ${expected ?? 'known'}` };
  return { kind: 'same' };
}

/** The methods that change state: they are the ones the origin rule and the JSON-only rule guard. */
export const isStateChanging = (method: string) => method === 'POST' || method === 'PUT' || method === 'PATCH' || method === 'DELETE';

/** The refusal message of the origin rule, for the one error shape. */
export const crossOriginMessage = (reason: string) =>
  `Refused: a change made with a browser session must come from Syncdeck's own page (same origin; ${reason})`;
