/** Same-origin JSON calls from the browser; the session cookie authenticates them. */

/** One invalid field of a 400 answer: its dotted path (`schedules.0.cron`) and the rule it broke. */
export interface FieldProblem {
  path: string;
  message: string;
}

export class ApiRequestError extends Error {
  override name = 'ApiRequestError';
  constructor(
    readonly status: number,
    message: string,
    /** The fields a 400 answer names, if any. */
    readonly fields: FieldProblem[] = [],
  ) {
    super(message);
  }
}

type ErrorShape = { error?: { message?: unknown; fields?: unknown } } | null;

function messageOf(body: unknown, status: number): string {
  const message = (body as ErrorShape)?.error?.message;
  return typeof message === 'string' && message ? message : `Request failed (HTTP ${status})`;
}

function fieldsOf(body: unknown): FieldProblem[] {
  const fields = (body as ErrorShape)?.error?.fields;
  if (!Array.isArray(fields)) return [];
  return fields.filter((f): f is FieldProblem => typeof f?.path === 'string' && typeof f?.message === 'string');
}

const toLogin = () => window.location.assign(`/login?callbackUrl=${encodeURIComponent(window.location.pathname)}`);
let unauthorized = toLogin;

/**
 * What a 401 answer does: by default the browser goes to the login page. A page that is not behind the login (the
 * wall screen on a display link) sets its own; returns the function that puts the default back.
 */
export function onUnauthorized(handler: () => void): () => void {
  unauthorized = handler;
  return () => {
    if (unauthorized === handler) unauthorized = toLogin;
  };
}

/** Sends a request and answers the parsed JSON body; a non-2xx answer throws with the API's error message. */
export async function requestJson<T>(url: string, init?: RequestInit): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, { credentials: 'same-origin', cache: 'no-store', ...init, headers: { accept: 'application/json', ...init?.headers } });
  } catch {
    throw new ApiRequestError(0, 'The server cannot be reached');
  }
  const body: unknown = await res.json().catch(() => null);
  if (res.status === 401 && typeof window !== 'undefined') unauthorized();
  if (!res.ok) throw new ApiRequestError(res.status, messageOf(body, res.status), fieldsOf(body));
  return body as T;
}

export const getJson = <T>(url: string) => requestJson<T>(url);
export const postJson = <T>(url: string) => requestJson<T>(url, { method: 'POST' });

/** POST or PATCH with a JSON body. */
export const sendJson = <T>(method: 'POST' | 'PATCH', url: string, body: unknown) =>
  requestJson<T>(url, { method, body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });

/** A message for any thrown value. */
export const errorMessage = (error: unknown, fallback = 'Something went wrong') => (error instanceof Error && error.message ? error.message : fallback);
