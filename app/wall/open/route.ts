import { z } from 'zod';
import { displayCookieHeader, openDisplaySession } from '@/lib/auth/display-session';
import { getRuntime } from '@/lib/runtime';

const querySchema = z.object({ token: z.string().min(1).max(200) });

/**
 * `/wall?token=<display token>` lands here (rewrite in next.config.js): a live display token becomes the wall's
 * httpOnly cookie and the browser goes on to a clean `/wall`, so the token leaves the address bar and history.
 * Anything else goes to `/wall?link=invalid`, which says so plainly.
 */
export async function GET(req: Request): Promise<Response> {
  const { db, config, logger } = getRuntime();
  const parsed = querySchema.safeParse(Object.fromEntries(new URL(req.url).searchParams));
  const session = parsed.success ? await openDisplaySession({ db, token: parsed.data.token, secret: config.authSecret! }) : null;
  const headers = new Headers({ 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' });
  if (!session) {
    logger.warn('wall opened with an invalid or revoked display link');
    headers.set('location', '/wall?link=invalid');
    return new Response(null, { status: 303, headers });
  }
  logger.info({ tokenName: session.name }, 'wall opened with a display link');
  const secure = new URL(req.url).protocol === 'https:' || req.headers.get('x-forwarded-proto') === 'https' || Boolean(config.publicUrl?.startsWith('https:'));
  headers.set('set-cookie', displayCookieHeader(session.cookie, { secure }));
  headers.set('location', '/wall');
  return new Response(null, { status: 303, headers });
}
