/** Same-origin JSON calls from the browser; the session cookie authenticates them. */

export class ApiRequestError extends Error {
  override name = 'ApiRequestError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function messageOf(body: unknown, status: number): string {
  const message = (body as { error?: { message?: unknown } } | null)?.error?.message;
  return typeof message === 'string' && message ? message : `Request failed (HTTP ${status})`;
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
  if (res.status === 401 && typeof window !== 'undefined') {
    window.location.assign(`/login?callbackUrl=${encodeURIComponent(window.location.pathname)}`);
  }
  if (!res.ok) throw new ApiRequestError(res.status, messageOf(body, res.status));
  return body as T;
}

export const getJson = <T>(url: string) => requestJson<T>(url);
export const postJson = <T>(url: string) => requestJson<T>(url, { method: 'POST' });
