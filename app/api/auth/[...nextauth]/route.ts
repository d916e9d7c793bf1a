import NextAuth from 'next-auth';
import { ApiError, json } from '@/lib/api/http';
import { crossOriginMessage, fetchHeaders, judgeOrigin } from '@/lib/api/same-origin';
import { getAuthOptions } from '@/lib/auth/next-auth';
import { guardCredentialsSignIn } from '@/lib/auth/sign-in-limit';
import { getRuntime } from '@/lib/runtime';

type Context = { params: Promise<{ nextauth: string[] }> };

const nextAuth = (req: Request, ctx: Context) => NextAuth(req as never, ctx as never, getAuthOptions());

/** next-auth's own test of a callback URL: absolute http(s), or a path on this server. */
function isHttpUrl(value: string, base: string): boolean {
  try {
    return /^https?:/.test(new URL(value, value.startsWith('/') ? base : undefined).protocol);
  } catch {
    return false;
  }
}

/**
 * A callback URL next-auth would refuse with a 500 ("server configuration"): in the query, or in its cookie. It is
 * the client's input, so it gets a 400 naming it instead.
 */
function badCallbackUrl(req: Request): ApiError | null {
  const url = new URL(req.url);
  const param = url.searchParams.get('callbackUrl');
  if (param && !isHttpUrl(param, url.origin)) {
    return new ApiError('bad_request', 'Invalid query: callbackUrl: must be a path on this server or an http(s) URL', [
      { path: 'callbackUrl', message: 'must be a path on this server or an http(s) URL' },
    ]);
  }
  for (const part of (req.headers.get('cookie') ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name !== 'next-auth.callback-url' && name !== '__Secure-next-auth.callback-url') continue;
    let decoded: string | null = null;
    try {
      decoded = decodeURIComponent(value.join('='));
    } catch {
      // Not URL-encoded text: refused below.
    }
    if (decoded !== null && (decoded === '' || isHttpUrl(decoded, url.origin))) continue;
    return new ApiError('bad_request', `Invalid cookie ${name}: must be a path on this server or an http(s) URL; clear it and sign in again`, [
      { path: name, message: 'must be a path on this server or an http(s) URL' },
    ]);
  }
  return null;
}

function answer(error: ApiError): Response {
  return json(error.toBody(), { status: error.status });
}

async function get(req: Request, ctx: Context): Promise<Response> {
  const bad = badCallbackUrl(req);
  return bad ? answer(bad) : nextAuth(req, ctx);
}

/**
 * Sign-in and sign-out. next-auth checks its CSRF token (a cookie and a form field that must match); on top of it,
 * a POST a browser says comes from another origin is refused (the origin rule, lib/api/same-origin.ts), which also
 * covers a sibling subdomain that could plant the CSRF cookie. A POST with no Origin, Referer or Sec-Fetch-Site is
 * no browser's and is left to the CSRF token.
 */
async function post(req: Request, ctx: Context): Promise<Response> {
  const { config, logger } = getRuntime();
  const verdict = judgeOrigin(fetchHeaders(req.headers), config.publicUrl);
  if (verdict.kind === 'cross') {
    logger.warn({ path: new URL(req.url).pathname, reason: verdict.reason }, 'cross-origin sign-in or sign-out refused');
    return answer(new ApiError('cross_origin', crossOriginMessage(verdict.reason)));
  }
  const bad = badCallbackUrl(req);
  if (bad) return answer(bad);
  // A credentials sign-in passes the sign-in limits first, so that a refusal reaches the client as 429 (or 503).
  const { nextauth } = await ctx.params;
  if (nextauth.join('/') === 'callback/credentials') {
    const refused = await guardCredentialsSignIn(req);
    if (refused) return refused;
  }
  return nextAuth(req, ctx);
}

export { get as GET, post as POST };
