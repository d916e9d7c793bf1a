import NextAuth from 'next-auth';
import { ApiError, json } from '@/lib/api/http';
import { crossOriginMessage, fetchHeaders, judgeOrigin } from '@/lib/api/same-origin';
import { getAuthOptions } from '@/lib/auth/next-auth';
import { getRuntime } from '@/lib/runtime';

type Context = { params: Promise<{ nextauth: string[] }> };

const handler = (req: Request, ctx: Context) => NextAuth(req as never, ctx as never, getAuthOptions());

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
    return json(new ApiError('cross_origin', crossOriginMessage(verdict.reason)).toBody(), { status: 403 });
  }
  return handler(req, ctx);
}

export { handler as GET, post as POST };
