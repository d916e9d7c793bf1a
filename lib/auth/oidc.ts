import { randomBytes } from 'node:crypto';
import type { Db } from 'mongodb';
import type { OAuthConfig } from 'next-auth/providers/oauth';
import type { OidcConfig } from '@/lib/env';
import type { Logger } from '@/lib/logger';
import { createUser, DuplicateUserError, getUserByEmail, type UserDoc } from '@/lib/users/users';

/** The ID token claims Syncdeck reads. */
export interface OidcProfile {
  sub: string;
  email?: string;
  email_verified?: boolean;
  name?: string;
  preferred_username?: string;
}

/** The provider id in next-auth's routes: /api/auth/signin/oidc, /api/auth/callback/oidc. */
export const OIDC_PROVIDER_ID = 'oidc';

/** A generic OpenID Connect provider for next-auth: endpoints and keys from the issuer's discovery document. */
export function oidcProvider(oidc: OidcConfig): OAuthConfig<OidcProfile> {
  return {
    id: OIDC_PROVIDER_ID,
    name: oidc.name,
    type: 'oauth',
    wellKnown: `${oidc.issuer}/.well-known/openid-configuration`,
    issuer: oidc.issuer,
    clientId: oidc.clientId,
    clientSecret: oidc.clientSecret,
    authorization: { params: { scope: 'openid email profile' } },
    idToken: true,
    checks: ['pkce', 'state'],
    profile: (p) => ({ id: p.sub, email: p.email?.toLowerCase() ?? null, name: p.name ?? p.preferred_username ?? p.email ?? null }),
  };
}

/**
 * The Syncdeck user an OIDC sign-in stands for, matched by email; created at the first sign-in with the default role
 * (or admin for OIDC_ADMIN_EMAILS) and a random password nobody knows. Null, and refused, without a verified email
 * or for a disabled user.
 */
export async function userForOidcSignIn({ db, oidc, profile, logger }: { db: Db; oidc: OidcConfig; profile: OidcProfile; logger: Logger }): Promise<UserDoc | null> {
  const email = profile.email?.toLowerCase();
  if (!email || profile.email_verified === false) {
    logger.warn({ sub: profile.sub }, 'OIDC sign-in refused: the provider sent no verified email');
    return null;
  }
  let user = await getUserByEmail({ db, email });
  if (!user) {
    const role = oidc.adminEmails.includes(email) ? 'admin' : oidc.defaultRole;
    try {
      await createUser({ db, input: { email, role, password: randomBytes(32).toString('base64url'), ...(profile.name ? { name: profile.name.slice(0, 100) } : {}) } });
      logger.info({ email, role }, 'user created at first OIDC sign-in');
    } catch (error) {
      if (!(error instanceof DuplicateUserError)) throw error; // signed in twice at once: the other one created it
    }
    user = await getUserByEmail({ db, email });
  }
  if (!user || user.disabled) {
    logger.warn({ email }, 'OIDC sign-in refused: user is disabled');
    return null;
  }
  logger.info({ email }, 'signed in through OIDC');
  return user;
}
