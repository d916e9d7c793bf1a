import { z } from 'zod';
import { authenticate, type Actor } from '@/lib/auth/actor';
import { getRuntime, type Runtime } from '@/lib/runtime';
import { ApiError, issueProblems, type FieldError } from './errors';

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

/**
 * Wraps a route handler: authenticates (session cookie or bearer token), checks the permission, runs the
 * handler, and turns errors into the one error shape. Infrastructure errors are logged and answered generically.
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
      if (!permission(actor)) throw new ApiError('forbidden', `Your role (${actor.role}) may not do this`);
      return await handler({ req, actor, params: await ctx.params, runtime });
    } catch (error) {
      if (error instanceof ApiError) return json(error.toBody(), { status: error.status });
      runtime?.logger.error({ err: error, method: req.method, url: new URL(req.url).pathname }, 'request failed');
      return json(new ApiError('internal', 'Internal error; the server log has the details').toBody(), { status: 500 });
    }
  };
}
