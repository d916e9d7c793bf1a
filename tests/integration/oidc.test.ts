import type { Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setUserDisabled } from '@/lib/users/users';
import { api } from '../support/api';
import { connectDatabase, type TestDatabase } from '../support/database';
import { startFakeOidc, type FakeOidc } from '../support/fake-oidc';
import { startServer, type TestServer } from '../support/server';

/**
 * Sign-in through OpenID Connect, end to end over real HTTP: Syncdeck's next-auth against a fake provider on
 * 127.0.0.1 (discovery, JWKS, authorize, token endpoint with an RS256 ID token), following every redirect by hand
 * with a cookie jar, up to a session cookie that /api/me accepts.
 */

let provider: FakeOidc;
let server: TestServer;
let database: TestDatabase;
let db: Db;

beforeAll(async () => {
  provider = await startFakeOidc();
  server = await startServer({
    env: {
      OIDC_ISSUER: provider.issuer,
      OIDC_CLIENT_ID: provider.clientId,
      OIDC_CLIENT_SECRET: provider.clientSecret,
      OIDC_NAME: 'Fake IdP',
      OIDC_ADMIN_EMAILS: 'chief@example.com',
    },
  });
  database = await connectDatabase(server);
  db = database.db;
});

afterAll(async () => {
  await database?.close();
  const result = await server?.dispose();
  await provider?.close();
  expect(result?.orphans ?? []).toEqual([]);
});

/** A browser's cookie jar, reduced to what the flow needs. */
class Jar {
  readonly cookies = new Map<string, string>();
  absorb(res: Response): void {
    for (const header of res.headers.getSetCookie()) {
      const [pair] = header.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (value === '' || /max-age=0/i.test(header)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  header(): string {
    return [...this.cookies].map(([n, v]) => `${n}=${v}`).join('; ');
  }
  hasSession(): boolean {
    return [...this.cookies.keys()].some((n) => /session-token/.test(n));
  }
}

/** Clicks "Sign in with …" and follows the redirects: Syncdeck → provider → Syncdeck's callback. Answers where it ends. */
async function signInThroughProvider(jar: Jar): Promise<string> {
  const csrf = await fetch(`${server.url}/api/auth/csrf`, { headers: { cookie: jar.header() } });
  jar.absorb(csrf);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const start = await fetch(`${server.url}/api/auth/signin/oidc`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: jar.header() },
    body: new URLSearchParams({ csrfToken, callbackUrl: `${server.url}/` }),
    redirect: 'manual',
  });
  jar.absorb(start);
  const authorize = start.headers.get('location') ?? '';
  expect(authorize.startsWith(`${provider.issuer}/authorize?`), `sign-in went to ${authorize}`).toBe(true);
  expect(new URL(authorize).searchParams.get('code_challenge_method')).toBe('S256');

  const atProvider = await fetch(authorize, { redirect: 'manual' });
  expect(atProvider.status).toBe(302);
  const callback = atProvider.headers.get('location') ?? '';
  expect(callback.startsWith(`${server.url}/api/auth/callback/oidc?`)).toBe(true);

  const back = await fetch(callback, { headers: { cookie: jar.header() }, redirect: 'manual' });
  jar.absorb(back);
  const end = back.headers.get('location') ?? '';
  if (!end.startsWith(`${server.url}/api/auth/error`)) return end;
  // A refusal goes through next-auth's error route, which sends the browser on to the login page.
  const error = await fetch(end, { redirect: 'manual' });
  return error.headers.get('location') ?? '';
}

describe('OIDC sign-in', () => {
  it('the login page offers "Sign in with" the configured provider', async () => {
    const html = await (await fetch(`${server.url}/login`)).text();
    expect(html).toMatch(/data-testid="login-oidc"[^>]*>(?:<!-- -->)?Sign in with (?:<!-- -->)?Fake IdP</);
    expect(html).not.toContain(provider.clientSecret);
  });

  it('creates the user at the first sign-in with the default role and ends with a session /api/me accepts', async () => {
    provider.signInAs({ sub: 'u-1001', email: 'Dana@Example.com', email_verified: true, name: 'Dana Ops' });
    const issuedBefore = provider.tokensIssued();
    const jar = new Jar();
    const end = await signInThroughProvider(jar);
    expect(provider.tokensIssued()).toBe(issuedBefore + 1);
    expect(end).toBe(`${server.url}/`);
    expect(jar.hasSession()).toBe(true);

    const me = await api<{ kind: string; label: string; role: string; name: string }>(server.url, '/api/me', { auth: { cookie: jar.header() } });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ kind: 'user', label: 'dana@example.com', role: 'viewer', name: 'Dana Ops' });
    const stored = await db.collection('users').findOne({ email: 'dana@example.com' });
    expect(stored).toMatchObject({ role: 'viewer', disabled: false });
  });

  it('matches the same user by email on the next sign-in, and makes OIDC_ADMIN_EMAILS admins', async () => {
    provider.signInAs({ sub: 'u-1001', email: 'dana@example.com', email_verified: true });
    const again = new Jar();
    await signInThroughProvider(again);
    expect(await db.collection('users').countDocuments({ email: 'dana@example.com' })).toBe(1);

    provider.signInAs({ sub: 'u-7', email: 'chief@example.com', email_verified: true, name: 'Chief' });
    const chief = new Jar();
    await signInThroughProvider(chief);
    const me = await api<{ role: string }>(server.url, '/api/me', { auth: { cookie: chief.header() } });
    expect(me.body.role).toBe('admin');
  });

  it('refuses a disabled user and an unverified email: back to the login page with the reason, no session', async () => {
    await setUserDisabled({ db, email: 'dana@example.com', disabled: true });
    provider.signInAs({ sub: 'u-1001', email: 'dana@example.com', email_verified: true });
    const disabled = new Jar();
    const end = await signInThroughProvider(disabled);
    expect(end).toMatch(/\/login\?error=AccessDenied/);
    expect(disabled.hasSession()).toBe(false);
    const page = await (await fetch(new URL(end, server.url))).text();
    expect(page).toContain('Sign-in refused');

    provider.signInAs({ sub: 'u-9', email: 'unverified@example.com', email_verified: false });
    const unverified = new Jar();
    expect(await signInThroughProvider(unverified)).toMatch(/\/login\?error=AccessDenied/);
    expect(unverified.hasSession()).toBe(false);
    expect(await db.collection('users').countDocuments({ email: 'unverified@example.com' })).toBe(0);
  });
});
