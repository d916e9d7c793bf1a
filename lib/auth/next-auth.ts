import { randomUUID } from 'node:crypto';
import type { AuthOptions } from 'next-auth';
import Credentials from 'next-auth/providers/credentials';
import { z } from 'zod';
import { getRuntime } from '@/lib/runtime';
import { getUserByEmail, verifyCredentials } from '@/lib/users/users';
import { recordSignInSuccess, requestAddress } from './sign-in-limit';
import { OIDC_PROVIDER_ID, oidcProvider, userForOidcSignIn, type OidcProfile } from './oidc';
import { revokeSession } from './session-revocation';

const credentialsSchema = z.object({ email: z.string().min(1).max(320), password: z.string().min(1).max(1024) });

/** Sessions last a working week; the user's role and status are re-read from the database on every request. */
const SESSION_MAX_AGE_S = 7 * 24 * 60 * 60;

/**
 * next-auth configuration: email + password against the users collection, plus an OpenID Connect provider when
 * configured; JWT sessions carrying the Syncdeck user id.
 */
export function getAuthOptions(): AuthOptions {
  const { db, config, logger } = getRuntime();
  return {
    secret: config.authSecret,
    session: { strategy: 'jwt', maxAge: SESSION_MAX_AGE_S },
    pages: { signIn: '/login', error: '/login' },
    providers: [
      Credentials({
        name: 'Email and password',
        credentials: { email: { label: 'Email', type: 'email' }, password: { label: 'Password', type: 'password' } },
        // The route counted the attempt against the sign-in limits before it came here (sign-in-limit.ts).
        async authorize(raw, req) {
          const parsed = credentialsSchema.safeParse(raw);
          if (!parsed.success) return null;
          const { email } = parsed.data;
          const address = requestAddress(req?.headers);
          const user = await verifyCredentials({ db, ...parsed.data });
          if (!user) {
            logger.warn({ email, address }, 'failed sign-in');
            return null;
          }
          await recordSignInSuccess({ db, windowS: config.signInWindowS, email, address });
          logger.info({ email: user.email, address }, 'signed in');
          return { id: user._id.toHexString(), email: user.email, name: user.name };
        },
      }),
      ...(config.oidc ? [oidcProvider(config.oidc)] : []),
    ],
    callbacks: {
      async signIn({ account, profile }) {
        if (account?.provider !== OIDC_PROVIDER_ID) return true;
        if (!config.oidc || !profile) return false;
        return Boolean(await userForOidcSignIn({ db, oidc: config.oidc, profile: profile as OidcProfile, logger }));
      },
      async jwt({ token, user, account }) {
        if (account?.provider === OIDC_PROVIDER_ID) {
          // The provider's subject is not our id: the session carries the matched Syncdeck user's.
          const matched = user?.email ? await getUserByEmail({ db, email: user.email }) : null;
          if (matched) token.uid = matched._id.toHexString();
        } else if (user) token.uid = user.id;
        // Kept as the session is renewed: a password change ends the sessions signed in before it (see actor.ts),
        // and signing out revokes the session's own id (see session-revocation.ts).
        if (user) {
          token.signedInAt = Date.now();
          token.sid = randomUUID();
        }
        return token;
      },
    },
    events: {
      // Called after the CSRF token was checked; a failure is logged by next-auth as SIGNOUT_ERROR.
      async signOut({ token }) {
        if (typeof token?.uid !== 'string') return;
        await revokeSession({ db, userId: token.uid, sessionId: typeof token.sid === 'string' ? token.sid : undefined, maxAgeS: SESSION_MAX_AGE_S });
        logger.info({ userId: token.uid }, 'signed out: session revoked');
      },
    },
    logger: {
      error: (code, metadata) => logger.error({ code, metadata }, 'next-auth error'),
      warn: (code) => logger.warn({ code }, 'next-auth warning'),
      debug: () => {},
    },
  };
}
