import { setTimeout as sleep } from 'node:timers/promises';
import { SyncError } from '@/lib/connectors/kind';
import { authHeaders, authQuery, type HttpAuth } from './auth';
import { backoffMs, parseRetryAfter } from './retry';

export type { HttpAuth } from './auth';

/** Options of an {@link HttpClient}; every one has a default. */
export interface HttpClientOptions {
  /** Headers sent with every request (a request's own headers win). */
  headers?: Record<string, string>;
  /** Credentials: bearer token, basic, or an API key in a header or the query. */
  auth?: HttpAuth;
  /** Milliseconds one attempt may take, reading the body included. Default 30 000. */
  timeoutMs?: number;
  /** Further attempts after a network error, a timeout, a 5xx or a 429. Default 3. */
  retries?: number;
  /** Backoff before the first retry; doubles per retry (with jitter) up to `maxBackoffMs`. Defaults 500 and 30 000. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** Longest 429/503 `Retry-After` to wait for; a longer one fails as rate-limited at once. Default 300 000. */
  maxRetryAfterMs?: number;
  /** PEM bundle of the CAs to trust instead of the system's (e.g. a TLS-inspecting proxy's root). */
  ca?: string | Buffer;
  /** Stops every request and wait (the run's signal). */
  signal?: AbortSignal;
  /** Told before each retry, e.g. to write the run log. */
  onRetry?(info: { attempt: number; delayMs: number; reason: string }): void;
  /** Source of jitter (tests pass a fixed one). */
  random?: () => number;
}

export interface HttpRequest {
  method?: string;
  /** Added to the URL's query (undefined values are left out). */
  query?: Record<string, string | number | boolean | undefined>;
  headers?: Record<string, string>;
  /** A body sent as JSON. */
  json?: unknown;
  /** A raw body. */
  body?: string;
}

/** A finished response (2xx) with its whole body. */
export interface HttpResponse {
  status: number;
  headers: Headers;
  /** The final URL, after redirects. */
  url: string;
  text: string;
  /** The body parsed as JSON; invalid or truncated JSON fails as `bad-data`. */
  json<T = unknown>(): T;
}

const snippet = (text: string, max = 200) => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
};

type Fetch = typeof fetch;

/**
 * HTTP for connectors: one call per request with a per-attempt timeout, retries with exponential backoff and
 * jitter on network errors, timeouts and 5xx, `Retry-After` honoured on 429 (and 503), and every failure turned
 * into a {@link SyncError} of the right kind. Waits end when the run's signal fires.
 */
export class HttpClient {
  readonly #options: HttpClientOptions;
  #fetch?: Promise<{ fetch: Fetch; dispatcher?: unknown }>;

  constructor(options: HttpClientOptions = {}) {
    this.#options = options;
  }

  /** The global fetch, or with a CA bundle undici's fetch with an Agent that trusts it (same undici on both ends). */
  #transport(): Promise<{ fetch: Fetch; dispatcher?: unknown }> {
    const ca = this.#options.ca;
    this.#fetch ??= ca
      ? import('undici').then(({ Agent, fetch: undiciFetch }) => ({ fetch: undiciFetch as unknown as Fetch, dispatcher: new Agent({ connect: { ca } }) }))
      : Promise.resolve({ fetch: globalThis.fetch });
    return this.#fetch;
  }

  /** Builds the request URL: query parameters, then an API key in the query when configured. */
  #url(url: string, query: HttpRequest['query']): URL {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      throw new SyncError('config', `"${url}" is not an absolute URL`);
    }
    for (const [name, value] of Object.entries(query ?? {})) if (value !== undefined) target.searchParams.set(name, String(value));
    const key = authQuery(this.#options.auth);
    if (key) target.searchParams.set(key.name, key.value);
    return target;
  }

  /** The URL for messages: an API key in the query is masked (the run's redaction would hide it too). */
  #shown(url: URL): string {
    const key = authQuery(this.#options.auth);
    if (!key) return url.toString();
    const copy = new URL(url);
    copy.searchParams.set(key.name, 'REDACTED');
    return copy.toString().replace('REDACTED', '[redacted]');
  }

  async request(url: string, request: HttpRequest = {}): Promise<HttpResponse> {
    const o = this.#options;
    const method = (request.method ?? 'GET').toUpperCase();
    const target = this.#url(url, request.query);
    const what = `${method} ${this.#shown(target)}`;
    const retries = o.retries ?? 3;
    const timeoutMs = o.timeoutMs ?? 30_000;
    const headers: Record<string, string> = {
      accept: 'application/json',
      'user-agent': 'Syncdeck',
      ...(request.json === undefined ? {} : { 'content-type': 'application/json' }),
      ...o.headers,
      ...authHeaders(o.auth),
      ...request.headers,
    };
    const body = request.json === undefined ? request.body : JSON.stringify(request.json);
    const { fetch: doFetch, dispatcher } = await this.#transport();

    for (let attempt = 1; ; attempt++) {
      this.#throwIfCancelled(what);
      const attemptTimeout = new AbortController();
      const timer = setTimeout(() => attemptTimeout.abort(), timeoutMs);
      const signal = o.signal ? AbortSignal.any([o.signal, attemptTimeout.signal]) : attemptTimeout.signal;
      let failure: SyncError;
      let waitMs: number | undefined;
      try {
        const res = await doFetch(target, { method, headers, body, signal, redirect: 'follow', ...(dispatcher ? { dispatcher } : {}) } as RequestInit);
        const text = await res.text();
        if (res.ok) return this.#response(res, text, what);
        const answer = `${what} answered ${res.status}${res.statusText ? ` ${res.statusText}` : ''}${text ? `: ${snippet(text)}` : ''}`;
        if (res.status === 401 || res.status === 403) throw new SyncError('auth', `${answer} (check the credentials)`);
        if (res.status === 429 || res.status === 503) {
          const retryAfter = parseRetryAfter(res.headers.get('retry-after'));
          if (retryAfter !== undefined && retryAfter > (o.maxRetryAfterMs ?? 300_000)) {
            throw new SyncError(res.status === 429 ? 'rate-limited' : 'upstream', `${answer} (Retry-After ${Math.ceil(retryAfter / 1000)} s is longer than this run waits)`);
          }
          waitMs = retryAfter;
          failure = new SyncError(res.status === 429 ? 'rate-limited' : 'upstream', answer);
        } else if (res.status >= 500) {
          failure = new SyncError('upstream', answer);
        } else if (res.status === 408) {
          failure = new SyncError('timeout', answer);
        } else {
          throw new SyncError('config', `${answer} (check the URL and parameters)`);
        }
      } catch (error) {
        if (error instanceof SyncError) throw error;
        this.#throwIfCancelled(what);
        if (attemptTimeout.signal.aborted) failure = new SyncError('timeout', `${what} got no complete answer within ${timeoutMs} ms`, { cause: error });
        else failure = new SyncError('network', `${what} failed: ${describeNetworkError(error)}`, { cause: error });
      } finally {
        clearTimeout(timer);
      }
      if (attempt > retries) throw attempt > 1 ? new SyncError(failure.kind, `${failure.message} (after ${attempt} attempts)`, { cause: failure.cause }) : failure;
      const delayMs = waitMs ?? backoffMs(attempt, { baseMs: o.backoffMs ?? 500, maxMs: o.maxBackoffMs ?? 30_000, random: o.random });
      o.onRetry?.({ attempt, delayMs, reason: failure.message });
      try {
        await sleep(delayMs, undefined, o.signal ? { signal: o.signal } : undefined);
      } catch {
        this.#throwIfCancelled(what);
      }
    }
  }

  /** GET (or another method) and parse the body as JSON. */
  async getJson<T = unknown>(url: string, request: HttpRequest = {}): Promise<{ data: T; response: HttpResponse }> {
    const response = await this.request(url, request);
    return { data: response.json<T>(), response };
  }

  #throwIfCancelled(what: string) {
    if (this.#options.signal?.aborted) throw new SyncError('cancelled', `stopped during ${what}`);
  }

  #response(res: Response, text: string, what: string): HttpResponse {
    return {
      status: res.status,
      headers: res.headers,
      url: res.url,
      text,
      json<T>() {
        try {
          return JSON.parse(text) as T;
        } catch (error) {
          const truncated = /end of JSON input|Unterminated/i.test((error as Error).message);
          throw new SyncError(
            'bad-data',
            `${what} answered ${text.length === 0 ? 'an empty body' : `invalid JSON${truncated ? ' (truncated?)' : ''}`} where JSON was expected: ${(error as Error).message}${text ? `; body starts: ${snippet(text, 120)}` : ''}`,
          );
        }
      },
    };
  }
}

/** The useful part of a fetch failure ("fetch failed" hides the cause). */
function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code && cause.message) return cause.message.includes(cause.code) ? cause.message : `${cause.code}: ${cause.message}`;
  if (cause?.message) return cause.message;
  return (error as Error).message ?? String(error);
}
