const BASE = 'http://syncdeck.invalid';

/**
 * Where to go after signing in: the `callbackUrl` query value when it is a same-origin relative path, else "/".
 * Rejects "//host" and "/\host" (browsers read both as another origin), and checks the normalised result too:
 * URL parsing drops tabs and newlines and resolves dot segments, which could otherwise turn "/./\/host" into "//host".
 */
export function safeCallbackUrl(value: string | string[] | undefined): string {
  const url = Array.isArray(value) ? value[0] : value;
  if (!url || !url.startsWith('/') || url.startsWith('//') || url.includes('\\')) return '/';
  try {
    const parsed = new URL(url, BASE);
    const path = `${parsed.pathname}${parsed.search}${parsed.hash}`;
    return parsed.origin === BASE && path.startsWith('/') && !path.startsWith('//') ? path : '/';
  } catch {
    return '/';
  }
}
