import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from '@/lib/api/errors';

/** The methods Syncdeck serves; anything else (TRACE, and methods no route knows) is answered 405 here. */
export const ALLOWED_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
const ALLOWED = new Set<string>(ALLOWED_METHODS);

/** Why a request cannot be served at all, or null when it may go on to Next.js. */
export function malformedRequest(method: string | undefined, url: string | undefined): ApiError | null {
  if (!method || !ALLOWED.has(method)) {
    return new ApiError('method_not_allowed', `Method ${String(method).slice(0, 20)} is not allowed: use one of ${ALLOWED_METHODS.join(', ')}`);
  }
  const target = url ?? '';
  if (!target.startsWith('/')) {
    return new ApiError('bad_request', 'Invalid request target: must be a path starting with /', [{ path: '(path)', message: 'must start with /' }]);
  }
  const path = target.split(/[?#]/, 1)[0]!;
  try {
    decodeURIComponent(path);
  } catch {
    return new ApiError('bad_request', 'Invalid path: a percent-escape does not encode UTF-8 text (e.g. %ff)', [
      { path: '(path)', message: 'must be valid percent-encoded UTF-8' },
    ]);
  }
  return null;
}

/**
 * Answers requests Next.js must never see, before its handler: an unknown method (405 with `Allow`) or a path whose
 * percent-escapes are not UTF-8 (400), in the one error shape, on every route and without signing in. Answers
 * true when it answered.
 */
export function refuseMalformed(req: IncomingMessage, res: ServerResponse): boolean {
  const error = malformedRequest(req.method, req.url);
  if (!error) return false;
  const headers: Record<string, string> = { 'content-type': 'application/json', 'cache-control': 'no-store' };
  if (error.code === 'method_not_allowed') headers.allow = ALLOWED_METHODS.join(', ');
  res.writeHead(error.status, headers).end(JSON.stringify(error.toBody()));
  return true;
}
