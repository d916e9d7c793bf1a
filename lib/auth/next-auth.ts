import type { AuthOptions } from 'next-auth';
import Credentials from 'next-auth/providers/credentials';
import { z } from 'zod';
import { getRuntime } from '@/lib/runtime';
import { verifyCredentials } from '@/lib/users/users';

const credentialsSchema = z.object({ email: z.string().min(1).max(320), password: z.string().min(1).max(1024) });

/** Sessions last a working week; the user's role and status are re-read from the database on every request. */
const SESSION_MAX_AGE_S = 7 * 24 * 60 * 60;

/** next-auth configuration: email + password against the users collection, JWT sessions carrying the user id. */
export function getAuthOptions(): AuthOptions {
  const { db, config, logger } = getRuntime();
  return {
    secret: config.authSecret,
    session: { strategy: 'jwt', maxAge: SESSION_MAX_AGE_S },
    pages: { signIn: '/login' },
    providers: [
      Credentials({
        name: 'Email and password',
        credentials: { email: { label: 'Email', type: 'email' }, password: { label: 'Password', type: 'password' } },
        async authorize(raw) {
          const parsed = credentialsSchema.safeParse(raw);
          if (!parsed.success) return null;
          const user = await verifyCredentials({ db, ...parsed.data });
          if (!user) {
            logger.warn({ email: parsed.data.email }, 'failed sign-in');
            return null;
          }
          logger.info({ email: user.email }, 'signed in');
          return { id: user._id.toHexString(), email: user.email, name: user.name };
        },
      }),
    ],
    callbacks: {
      jwt({ token, user }) {
        if (user) token.uid = user.id;
        return token;
      },
    },
    logger: {
      error: (code, metadata) => logger.error({ code, metadata }, 'next-auth error'),
      warn: (code) => logger.warn({ code }, 'next-auth warning'),
      debug: () => {},
    },
  };
}
