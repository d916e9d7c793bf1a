import NextAuth from 'next-auth';
import { getAuthOptions } from '@/lib/auth/next-auth';
import { guardCredentialsSignIn } from '@/lib/auth/sign-in-limit';

type Context = { params: Promise<{ nextauth: string[] }> };

const handler = (req: Request, ctx: Context) => NextAuth(req as never, ctx as never, getAuthOptions());

/** A credentials sign-in passes the sign-in limits first, so that a refusal reaches the client as 429 (or 503). */
async function post(req: Request, ctx: Context) {
  const { nextauth } = await ctx.params;
  if (nextauth.join('/') === 'callback/credentials') {
    const refused = await guardCredentialsSignIn(req);
    if (refused) return refused;
  }
  return handler(req, ctx);
}

export { handler as GET, post as POST };
