/**
 * HTTP helpers for integration tests: the next-auth credentials login and a small JSON client.
 */

/** Credentials for a request: a session Cookie header (from {@link login}) or an API token. */
export type Auth = { cookie: string } | { token: string } | undefined;

export interface ApiResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

/** The `{ error: { code, message, fields? } }` body every failing API call answers with. */
export interface ErrorBody {
  error: { code: string; message: string; fields?: Array<{ path: string; message: string }> };
}

/**
 * A cookie goes with the Origin a browser on Syncdeck's own page sends: state changes made with a cookie are
 * refused without it (the origin rule). Pass `headers: { origin }` to act as another site.
 */
function authHeaders(url: string, auth: Auth): Record<string, string> {
  if (!auth) return {};
  return 'cookie' in auth ? { cookie: auth.cookie, origin: new URL(url).origin } : { authorization: `Bearer ${auth.token}` };
}

/** Calls the API and parses the JSON answer (body is null for empty answers such as 204). */
export async function api<T = unknown>(
  url: string,
  path: string,
  options: { method?: string; auth?: Auth; body?: unknown; headers?: Record<string, string> } = {},
): Promise<ApiResponse<T>> {
  const res = await fetch(`${url}${path}`, {
    method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
    headers: {
      ...authHeaders(url, options.auth),
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...options.headers,
    },
    body: options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body),
    redirect: 'manual',
  });
  const text = await res.text();
  let body: unknown = null;
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  }
  return { status: res.status, headers: res.headers, body: body as T };
}

/** Merges Set-Cookie headers into a cookie jar (name → value); expired cookies are removed. */
function absorbCookies(jar: Map<string, string>, res: Response): void {
  for (const header of res.headers.getSetCookie()) {
    const [pair, ...attributes] = header.split(';');
    const eq = pair!.indexOf('=');
    if (eq < 0) continue;
    const name = pair!.slice(0, eq).trim();
    const value = pair!.slice(eq + 1).trim();
    const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a)) || value === '';
    if (expired) jar.delete(name);
    else jar.set(name, value);
  }
}

const cookieHeader = (jar: Map<string, string>) => [...jar].map(([name, value]) => `${name}=${value}`).join('; ');

export class LoginFailed extends Error {
  override name = 'LoginFailed';
}

/**
 * Signs in through next-auth's credentials flow over plain HTTP, like the login form does:
 * GET /api/auth/csrf, then POST /api/auth/callback/credentials with the CSRF token (cookie + form field).
 * Returns the Cookie header that carries the session; throws {@link LoginFailed} when no session was issued.
 */
export async function login(url: string, email: string, password: string): Promise<string> {
  const jar = new Map<string, string>();
  const csrf = await fetch(`${url}/api/auth/csrf`);
  absorbCookies(jar, csrf);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const res = await fetch(`${url}/api/auth/callback/credentials`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookieHeader(jar) },
    body: new URLSearchParams({ csrfToken, email, password, json: 'true' }),
    redirect: 'manual',
  });
  absorbCookies(jar, res);
  const session = [...jar.keys()].some((name) => /(^|\.)session-token(\.\d+)?$/.test(name));
  if (!session) {
    const where = res.headers.get('location') ?? (await res.text().catch(() => ''));
    throw new LoginFailed(`no session for ${email} (status ${res.status}: ${where.slice(0, 200)})`);
  }
  return cookieHeader(jar);
}

/** Asks next-auth for the session as a page would, which renews the session cookie; returns the renewed cookie header. */
export async function renewSession(url: string, cookie: string): Promise<string> {
  const jar = new Map(cookie.split('; ').map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)] as [string, string]));
  const res = await fetch(`${url}/api/auth/session`, { headers: { cookie } });
  await res.arrayBuffer();
  absorbCookies(jar, res);
  return cookieHeader(jar);
}

/**
 * Signs out like the sign-out button does: next-auth's CSRF token, then POST /api/auth/signout from Syncdeck's
 * own origin. Answers the response; the browser's copy of the session cookie is cleared by it.
 */
export async function logout(url: string, cookie: string, headers: Record<string, string> = { origin: new URL(url).origin }): Promise<Response> {
  const jar = new Map(cookie.split('; ').map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)] as [string, string]));
  const csrf = await fetch(`${url}/api/auth/csrf`, { headers: { cookie } });
  absorbCookies(jar, csrf);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const res = await fetch(`${url}/api/auth/signout`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookieHeader(jar), ...headers },
    body: new URLSearchParams({ csrfToken, callbackUrl: '/login', json: 'true' }),
    redirect: 'manual',
  });
  await res.arrayBuffer();
  return res;
}

/** Polls `check` until it returns a value that is not undefined/false, or throws after `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T | undefined | false> | T | undefined | false,
  options: { timeoutMs?: number; everyMs?: number; what?: string } = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${options.what ?? 'a condition'}${last ? ` (last error: ${(last as Error).message})` : ''}`);
    }
    await new Promise((r) => setTimeout(r, options.everyMs ?? 200));
  }
}
