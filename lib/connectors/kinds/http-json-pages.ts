import type { HttpClient, HttpResponse } from '@/lib/http/client';
import { SyncError } from '../kind';
import { getPath } from '../paths';
import type { HttpJsonConfig } from './http-json';
import { answerProblem, itemsOf } from './http-json-records';
import { renderJson, renderRecord, type TemplateVars } from './http-json-template';

/** One fetched page. */
export interface Page {
  number: number;
  data: unknown;
  /** The value at `totalPath`, if configured. */
  total?: unknown;
  /** "GET https://…" for messages. */
  what: string;
}

interface Request {
  url: string;
  /** Query values, placeholders not yet filled. */
  query: Record<string, string>;
  /** The page number of page paging. */
  page?: number;
}

/** The `rel="next"` target of a Link header, resolved against the answer's URL. */
export function nextLink(header: string | null, base: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(/,(?=\s*<)/)) {
    const match = /^\s*<([^>]*)>(.*)$/.exec(part);
    if (match && /;\s*rel\s*=\s*"?([^";]*\s)?next(\s[^";]*)?"?\s*(;|$)/i.test(match[2]!)) return new URL(match[1]!, base).toString();
  }
  return undefined;
}

function itemCount(data: unknown, config: HttpJsonConfig): number {
  try {
    return itemsOf(data, config.itemsPath, '', config.itemsAre).length;
  } catch {
    return 0;
  }
}

/** The request of the page after `response`, or undefined when it was the last. */
function nextRequest(config: HttpJsonConfig, current: Request, response: HttpResponse, data: unknown): Request | undefined {
  const p = config.pagination;
  const count = itemCount(data, config);
  switch (p.type) {
    case 'page': {
      if (count === 0 || (p.size !== undefined && count < p.size)) return undefined;
      const page = (current.page ?? p.start) + 1;
      return { url: current.url, page, query: p.in === 'query' ? { ...current.query, [p.param]: String(page) } : current.query };
    }
    case 'offset': {
      if (count === 0 || count < p.limit) return undefined;
      const offset = Number(current.query[p.offsetParam]) + count;
      const total = config.totalPath ? Number(getPath(data, config.totalPath)) : NaN;
      if (Number.isFinite(total) && offset >= total) return undefined;
      return { url: current.url, query: { ...current.query, [p.offsetParam]: String(offset) } };
    }
    case 'cursor': {
      const cursor = getPath(data, p.cursorPath);
      if (cursor === undefined || cursor === null || cursor === '' || cursor === false) return undefined;
      if (typeof cursor !== 'string' && typeof cursor !== 'number') throw new SyncError('bad-data', `the cursor at "${p.cursorPath}" is not a string or number`);
      return { url: current.url, query: { ...current.query, [p.param]: String(cursor) } };
    }
    case 'link': {
      const next = nextLink(response.headers.get('link'), response.url || current.url);
      return next ? { url: next, query: {} } : undefined;
    }
    case 'nextUrl': {
      const next = getPath(data, p.path);
      if (next === undefined || next === null || next === '') return undefined;
      if (typeof next !== 'string') throw new SyncError('bad-data', `the next URL at "${p.path}" is not a string`);
      return { url: new URL(next, response.url || current.url).toString(), query: {} };
    }
    default:
      return undefined;
  }
}

function firstRequest(config: HttpJsonConfig, query: Record<string, string>): Request {
  const p = config.pagination;
  const q = { ...query };
  if (p.type === 'page') {
    if (p.in === 'query') q[p.param] = String(p.start);
    if (p.sizeParam && p.size !== undefined) q[p.sizeParam] = String(p.size);
    return { url: config.url, query: q, page: p.start };
  }
  if (p.type === 'offset') {
    q[p.offsetParam] = '0';
    q[p.limitParam] = String(p.limit);
  }
  return { url: config.url, query: q };
}

/**
 * Fetches pages in order, one ahead of the consumer: while page n is being written, page n+1 is fetched, so at
 * most two pages are in memory. Stops at the last page; fails when a page would repeat (paging does not advance)
 * or `maxPages` is passed.
 */
export async function* fetchPages({
  client,
  config,
  query,
  vars = {},
  throttle,
  signal,
}: {
  client: HttpClient;
  config: HttpJsonConfig;
  query: Record<string, string>;
  /** Values of placeholders fixed for the run ({{since}}); {{page}} is filled per request. */
  vars?: TemplateVars;
  throttle: () => Promise<void>;
  signal: AbortSignal;
}): AsyncGenerator<Page> {
  const seen = new Set<string>();
  const fetchOne = async (request: Request, number: number): Promise<{ page: Page; next: Request | undefined }> => {
    const key = `${request.url} ${JSON.stringify(request.query)} ${request.page ?? ''}`;
    if (seen.has(key)) throw new SyncError('bad-data', `paging does not advance: page ${number} would ask ${request.url} with the same parameters again`);
    seen.add(key);
    const values: TemplateVars = { ...vars, ...(request.page === undefined ? {} : { page: String(request.page) }) };
    const body =
      config.form !== undefined
        ? { body: new URLSearchParams(renderRecord(config.form, values)).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } }
        : config.body !== undefined
          ? { json: renderJson(config.body, values) }
          : {};
    await throttle();
    const response = await client.request(request.url, { method: config.method, query: renderRecord(request.query, values), ...body });
    const data = response.json();
    const what = `${config.method} ${request.url.split('?')[0]} (page ${number})`;
    if (config.answerStatus) {
      const problem = answerProblem(data, config.answerStatus, what);
      if (problem) throw problem;
    }
    return { page: { number, data, what, ...(config.totalPath ? { total: getPath(data, config.totalPath) } : {}) }, next: nextRequest(config, request, response, data) };
  };

  let number = 1;
  let pending: Promise<{ page: Page; next: Request | undefined }> | undefined = fetchOne(firstRequest(config, query), number);
  while (pending) {
    const { page, next }: { page: Page; next: Request | undefined } = await pending;
    if (next && number >= config.maxPages) {
      throw new SyncError('config', `stopped after ${config.maxPages} pages (config.maxPages) while the source had more; raise maxPages`);
    }
    pending = next && !signal.aborted ? fetchOne(next, ++number) : undefined;
    // A prefetch that fails while this page is written is reported when awaited; never unhandled.
    pending?.catch(() => undefined);
    yield page;
  }
}
