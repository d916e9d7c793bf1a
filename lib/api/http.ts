import { z } from 'zod';
import { authenticate, type Actor } from '@/lib/auth/actor';
import { getRuntime, type Runtime } from '@/lib/runtime';
import { DomainError } from '@/lib/domain/errors';
import { ApiError, apiErrorOf, issueProblems, type FieldError } from './errors';
import { crossOriginMessage, fetchHeaders, isStateChanging, judgeOrigin } from './same-origin';

export { ApiError };

/** Turns zod issues into field errors with dotted paths (`schedules.0.timezone`); see {@link issueProblems}. */
export function fieldErrors(error: z.ZodError, root = '(body)'): FieldError[] {
  return issueProblems(error).map(({ path, message }) => ({ path: path.map(String).join('.') || root, message }));
}

function invalid(error: z.ZodError, what: string, root: string): ApiError {
  const fields = fieldErrors(error, root);
  const summary = fields.map((f) => `${f.path}: ${f.message}`).join('; ');
  return new ApiError('bad_request', `Invalid ${what}: ${summary}`, fields);
}

/** Parses a JSON body with a schema; a body that is not JSON or breaks a rule becomes a 400 naming the fields. */
export async function parseBody<S extends z.ZodType>(req: Request, schema: S): Promise<z.output<S>> {
  let body: unknown;
  try {
    const text = await req.text();
    body = text.trim() === '' ? {} : JSON.parse(text);
  } catch {
    throw new ApiError('bad_request', 'Invalid request body: must be JSON', [{ path: '(body)', message: 'must be JSON' }]);
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw invalid(parsed.error, 'request body', '(body)');
  return parsed.data;
}

/** Parses the query string with a schema; unknown parameters are rejected when the schema is strict. */
export function parseQuery<S extends z.ZodType>(req: Request, schema: S): z.output<S> {
  const params = Object.fromEntries(new URL(req.url).searchParams);
  const parsed = schema.safeParse(params);
  if (!parsed.success) throw invalid(parsed.error, 'query', '(query)');
  return parsed.data;
}

export function json(data: unknown, init?: ResponseInit): Response {
  return Response.json(data, { ...init, headers: { 'cache-control': 'no-store', ...init?.headers } });
}

export interface HandlerContext<P> {
  req: Request;
  actor: Actor;
  params: P;
  runtime: Runtime;
}

const BEARER = /^Bearer\s+\S+$/i;

/**
 * The JSON-only rule of state-changing requests: a body must be `application/json` (`; charset=…` allowed), and so
 * must any Content-Type sent without a body. A cross-site `<form>` can only send url-encoded, multipart or
 * text/plain (even with an empty body), and a cross-site `fetch` can send JSON only after a preflight Syncdeck never
 * approves; so this rule also stops forged requests that slip past the origin check.
 */
export function requireJsonBody(req: Request): void {
  const type = req.headers.get('content-type');
  const length = req.headers.get('content-length');
  const hasBody = (length !== null && length.trim() !== '0') || req.headers.has('transfer-encoding');
  const media = type?.split(';')[0]!.trim().toLowerCase();
  if (type === null ? !hasBody : media === 'application/json') return;
  throw new ApiError(
    'unsupported_media_type',
    `Request body must be JSON: send Content-Type: application/json (got ${type === null ? 'a body without a Content-Type' : JSON.stringify(type.slice(0, 100))})`,
  );
}

/**
 * Wraps a route handler: authenticates (session cookie or bearer token), applies the origin rule to state changes
 * made with a cookie (lib/api/same-origin.ts), checks the permission and the JSON-only rule, runs the handler, and
 * turns errors into the one error shape. Infrastructure errors are logged and answered generically.
 */
export function route<P extends Record<string, string> = Record<string, never>>(
  permission: (actor: Actor) => boolean,
  handler: (ctx: HandlerContext<P>) => Promise<Response>,
): (req: Request, ctx: { params: Promise<P> }) => Promise<Response> {
  return async (req, ctx) => {
    let runtime: Runtime | undefined;
    try {
      runtime = getRuntime();
      const actor = await authenticate({
        db: runtime.db,
        secret: runtime.config.authSecret!,
        authorization: req.headers.get('authorization'),
        cookie: req.headers.get('cookie'),
      });
      if (!actor) throw new ApiError('unauthorized', 'Sign in or send Authorization: Bearer <api token>');
      const changes = isStateChanging(req.method);
      // Bearer tokens are sent deliberately by their holder; cookies ride along with any page's request.
      if (changes && !BEARER.test(req.headers.get('authorization') ?? '')) {
        const verdict = judgeOrigin(fetchHeaders(req.headers), runtime.config.publicUrl);
        if (verdict.kind !== 'same') {
          const reason = verdict.kind === 'cross' ? verdict.reason : 'the request has no Origin, Referer or Sec-Fetch-Site header';
          runtime.logger.warn({ method: req.method, path: new URL(req.url).pathname, reason }, 'cross-origin state change refused');
          throw new ApiError('cross_origin', crossOriginMessage(reason));
        }
      }
      if (!permission(actor)) throw new ApiError('forbidden', `Your role (${actor.role}) may not do this`);
      if (changes) requireJsonBody(req);
      return await handler({ req, actor, params: await ctx.params, runtime });
    } catch (error) {
      const refusal = error instanceof DomainError ? apiErrorOf(error) : error;
      if (refusal instanceof ApiError) return json(refusal.toBody(), { status: refusal.status });
      runtime?.logger.error({ err: error, method: req.method, url: new URL(req.url).pathname }, 'request failed');
      return json(new ApiError('internal', 'Internal error; the server log has the details').toBody(), { status: 500 });
    }
  };
}
