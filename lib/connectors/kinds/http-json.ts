import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import type { HttpAuth } from '@/lib/http/client';
import { collectionNameProblem } from '../destination';
import { SyncError, type ConnectorKind, type RequiredSecret } from '../kind';
import { DOT_PATH } from '../paths';
import { fetchPages } from './http-json-pages';
import { compareCursor, matchesFilter, pivotCells, recordsOf } from './http-json-records';
import { formatDateTime, isTimeZone, PLACEHOLDERS, placeholdersIn, stringsIn } from './http-json-template';

/**
 * Generic REST pull, configured without code: where to ask, how to authenticate and page, where the records are
 * in each answer, and which collection they are upserted into by key. Pages are processed one at a time (the next
 * one is fetched while the current one is written), so memory does not grow with the size of the source.
 */

const dotPath = z.string().regex(DOT_PATH, { error: 'must be a dot path such as data.items' });
const paramName = z.string().min(1, { error: 'must not be empty' }).max(200, { error: 'must be at most 200 characters' });
const positive = (max: number) =>
  z.number({ error: 'must be a number' }).int({ error: 'must be a whole number' }).min(1, { error: 'must be at least 1' }).max(max, { error: `must be at most ${max}` });

const authSchema = z.discriminatedUnion(
  'type',
  [
    z.strictObject({ type: z.literal('none') }),
    /** `Authorization: Bearer <secrets.token>`. */
    z.strictObject({ type: z.literal('bearer') }),
    /** `Authorization: Basic` with `username` (or secrets.username) and secrets.password. */
    z.strictObject({ type: z.literal('basic'), username: z.string().min(1, { error: 'must not be empty' }).optional() }),
    /** secrets.apiKey in a header or query parameter called `name`. */
    z.strictObject({ type: z.literal('apiKey'), in: z.enum(['header', 'query'], { error: 'must be header or query' }), name: paramName }),
  ],
  { error: 'must have type none, bearer, basic or apiKey' },
);

const paginationSchema = z.discriminatedUnion(
  'type',
  [
    z.strictObject({ type: z.literal('none') }),
    /**
     * ?page=1,2,3… until a page is empty (or shorter than `size`). With `in: template` the number is not sent as a
     * query parameter, only where a request value says `{{page}}` (e.g. inside a form field's JSON).
     */
    z.strictObject({
      type: z.literal('page'),
      in: z.enum(['query', 'template'], { error: 'must be query or template' }).default('query'),
      param: paramName.default('page'),
      start: z.number().int({ error: 'must be a whole number' }).min(0, { error: 'must be at least 0' }).default(1),
      sizeParam: paramName.optional(),
      size: positive(10_000).optional(),
    }),
    /** ?offset=0&limit=100, then offset=100… until a page is shorter than `limit` (or `totalPath` is reached). */
    z.strictObject({
      type: z.literal('offset'),
      offsetParam: paramName.default('offset'),
      limitParam: paramName.default('limit'),
      limit: positive(10_000).default(100),
    }),
    /** The next cursor is at `cursorPath` in the body and is sent as query parameter `param`; none means done. */
    z.strictObject({ type: z.literal('cursor'), cursorPath: dotPath, param: paramName }),
    /** `Link: <…>; rel="next"` header (GitHub, Snipe-IT style). */
    z.strictObject({ type: z.literal('link') }),
    /** The next page's URL (absolute or relative) is at `path` in the body. */
    z.strictObject({ type: z.literal('nextUrl'), path: dotPath }),
  ],
  { error: 'must have type none, page, offset, cursor, link or nextUrl' },
);

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()], { error: 'must be a string, number, boolean or null' });

export const httpJsonConfigSchema = z
  .strictObject({
    url: z.url({ protocol: /^https?$/, error: 'must be an absolute http:// or https:// URL' }),
    method: z.enum(['GET', 'POST'], { error: 'must be GET or POST' }).default('GET'),
    headers: z.record(z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, { error: 'must be a header name' }), z.string()).default({}),
    /** Query parameters of the first request. */
    query: z.record(z.string(), z.string()).default({}),
    /** JSON body (POST); its strings may hold {{page}} and {{since}}. */
    body: z.unknown().optional(),
    /** Form fields sent url-encoded (POST); values may hold {{page}} and {{since}}. */
    form: z.record(paramName, z.string()).optional(),
    auth: authSchema.default({ type: 'none' }),
    pagination: paginationSchema.default({ type: 'none' }),
    /** Safety stop: a run that needs more pages fails (raise it for very large sources). */
    maxPages: positive(1_000_000).default(10_000),
    /** Dot path of the array of records in each answer; empty when the answer is the array. */
    itemsPath: z.union([z.literal(''), dotPath]).default(''),
    /** `object`: the records are the values of an object keyed by id (e.g. BaseLinker's products). */
    itemsAre: z.enum(['array', 'object'], { error: 'must be array or object' }).default('array'),
    /**
     * APIs that answer 200 with a status field (e.g. BaseLinker's `status: "ERROR"`): an answer whose `path` is
     * not `ok` fails the run with the text at `messagePath`; codes at `codePath` listed in `authCodes` or
     * `rateLimitCodes` are classified as auth or rate-limited, others as upstream.
     */
    answerStatus: z
      .strictObject({
        path: dotPath,
        ok: scalar,
        messagePath: dotPath.optional(),
        codePath: dotPath.optional(),
        authCodes: z.array(z.string()).default([]),
        rateLimitCodes: z.array(z.string()).default([]),
      })
      .optional(),
    /**
     * Turns a record's array of cells (`cellsPath`, items with `keyField` and `valueField`) into an object
     * at `into` keyed by column name, the names coming from the answer's column list (`columnsPath`, items with
     * `columnKey` and `columnName`); dots and a leading $ in names become _. Columns named in `require` must
     * exist, else the run fails (config). Runs before the filter, so the filter may test `into.<name>`.
     */
    pivot: z
      .strictObject({
        cellsPath: dotPath,
        keyField: dotPath,
        valueField: dotPath,
        columnsPath: dotPath,
        columnKey: dotPath,
        columnName: dotPath,
        into: dotPath,
        require: z.array(z.string().min(1, { error: 'must not be empty' })).default([]),
      })
      .optional(),
    /** Dot path of a record's id. */
    idField: dotPath.default('id'),
    /** Dot path of the total number of records in an answer, for progress (and to stop offset paging). */
    totalPath: dotPath.optional(),
    /**
     * Incremental pulls: the largest `field` value seen by the last successful run is sent as query parameter
     * `param` (`initial` before the first one) and fills `{{since}}` in request values; `format` writes it as a
     * date-time in a pattern (tokens yyyy MM dd HH mm ss) and time zone, e.g. `yyyy/MM/dd HH:mm` for JQL.
     */
    incremental: z
      .strictObject({
        param: paramName.optional(),
        field: dotPath,
        initial: z.string().optional(),
        format: z
          .strictObject({
            pattern: z.string().regex(/yyyy|MM|dd|HH|mm|ss/, { error: 'must use at least one of the tokens yyyy MM dd HH mm ss' }),
            timeZone: z.string().refine(isTimeZone, { error: 'must be an IANA time zone such as UTC or Europe/Berlin' }).default('UTC'),
          })
          .optional(),
      })
      .optional(),
    /** Only records whose `field` equals `equals` (or is one of `in`) are written; the others are counted as skipped. */
    filter: z
      .strictObject({ field: z.string().regex(/^[^.]+(\.[^.]+)*$/, { error: 'must be a dot path such as status or cells.Job Approved' }), equals: scalar.optional(), in: z.array(scalar).min(1, { error: 'must list at least one value' }).optional() })
      .refine((f) => (f.equals === undefined) !== (f.in === undefined), { error: 'must have either equals or in' })
      .optional(),
    destination: z.strictObject({
      collection: z.string().superRefine((name, ctx) => {
        const problem = collectionNameProblem(name);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      }),
      /** Dot path(s) of the key; defaults to `idField`. */
      key: z.union([dotPath, z.array(dotPath).min(1, { error: 'must name at least one field' })]).optional(),
      /** A record without its key fails the run (bad data) instead of being counted as failed. */
      strict: z.boolean().default(false),
    }),
    /** Seconds one request may take. */
    timeoutSeconds: positive(600).default(30),
    /** Further attempts after a network error, timeout, 5xx or 429. */
    retries: z.number().int({ error: 'must be a whole number' }).min(0, { error: 'must be at least 0' }).max(10, { error: 'must be at most 10' }).default(3),
    /** Upper bound on request rate (e.g. BaseLinker allows 100 per minute). */
    requestsPerMinute: positive(60_000).optional(),
    /** A PEM file of CAs to trust (e.g. behind a TLS-inspecting proxy). */
    tls: z.strictObject({ caFile: z.string().min(1, { error: 'must be a file path' }) }).optional(),
  })
  .refine((c) => c.method === 'POST' || c.body === undefined, { error: 'a body needs method POST', path: ['body'] })
  .refine((c) => c.method === 'POST' || c.form === undefined, { error: 'a form needs method POST', path: ['form'] })
  .refine((c) => c.body === undefined || c.form === undefined, { error: 'must not be set together with body', path: ['form'] })
  .superRefine(checkPlaceholders);
export type HttpJsonConfig = z.output<typeof httpJsonConfigSchema>;
export type HttpJsonConfigInput = z.input<typeof httpJsonConfigSchema>;

/** Placeholders must be known and have a source: {{page}} needs page paging, {{since}} needs `incremental`. */
function checkPlaceholders(
  c: { query: Record<string, string>; form?: Record<string, string>; body?: unknown; pagination: { type: string; in?: string }; incremental?: { param?: string; initial?: string } },
  ctx: z.RefinementCtx,
) {
  const places: Array<[PropertyKey[], string]> = [
    ...Object.entries(c.query).map(([k, v]): [PropertyKey[], string] => [['query', k], v]),
    ...Object.entries(c.form ?? {}).map(([k, v]): [PropertyKey[], string] => [['form', k], v]),
    ...stringsIn(c.body).map((v): [PropertyKey[], string] => [['body'], v]),
  ];
  const used = new Set<string>();
  for (const [path, value] of places) {
    for (const name of placeholdersIn(value)) {
      used.add(name);
      if (!(PLACEHOLDERS as readonly string[]).includes(name)) ctx.addIssue({ code: 'custom', path, message: `uses unknown placeholder {{${name}}} (known: {{page}}, {{since}})` });
      else if (name === 'page' && c.pagination.type !== 'page') ctx.addIssue({ code: 'custom', path, message: 'uses {{page}}, which needs pagination.type page' });
      else if (name === 'since' && !c.incremental) ctx.addIssue({ code: 'custom', path, message: 'uses {{since}}, which needs incremental' });
      else if (name === 'since' && c.incremental?.initial === undefined) ctx.addIssue({ code: 'custom', path: ['incremental', 'initial'], message: 'is required when {{since}} is used (the value of the first run)' });
    }
  }
  if (c.pagination.type === 'page' && c.pagination.in === 'template' && !used.has('page')) {
    ctx.addIssue({ code: 'custom', path: ['pagination', 'in'], message: 'is template, so a query value, form field or body string must use {{page}}' });
  }
  if (c.incremental && c.incremental.param === undefined && !used.has('since')) {
    ctx.addIssue({ code: 'custom', path: ['incremental', 'param'], message: 'is required unless a query value, form field or body string uses {{since}}' });
  }
}

const secretValue = z.string().min(1, { error: 'must not be empty' });
export const httpJsonSecretsSchema = z.strictObject({
  token: secretValue.optional(),
  username: secretValue.optional(),
  password: secretValue.optional(),
  apiKey: secretValue.optional(),
});
export type HttpJsonSecrets = z.output<typeof httpJsonSecretsSchema>;

function requiredSecrets(config: HttpJsonConfig): RequiredSecret[] {
  switch (config.auth.type) {
    case 'bearer':
      return [{ name: 'token', why: 'config.auth.type is bearer' }];
    case 'basic':
      return [
        { name: 'password', why: 'config.auth.type is basic' },
        ...(config.auth.username ? [] : [{ name: 'username', why: 'config.auth.type is basic and config.auth.username is not set' }]),
      ];
    case 'apiKey':
      return [{ name: 'apiKey', why: 'config.auth.type is apiKey' }];
    default:
      return [];
  }
}

function authOf(config: HttpJsonConfig, secrets: HttpJsonSecrets): HttpAuth {
  const missing = (name: string) => new SyncError('config', `secret "${name}" is not set (needed by config.auth)`);
  const auth = config.auth;
  switch (auth.type) {
    case 'bearer':
      if (!secrets.token) throw missing('token');
      return { type: 'bearer', token: secrets.token };
    case 'basic': {
      const username = secrets.username ?? auth.username;
      if (!username) throw missing('username');
      if (!secrets.password) throw missing('password');
      return { type: 'basic', username, password: secrets.password };
    }
    case 'apiKey':
      if (!secrets.apiKey) throw missing('apiKey');
      return { type: 'apiKey', in: auth.in, name: auth.name, value: secrets.apiKey };
    default:
      return { type: 'none' };
  }
}

/** What an http-json connector keeps between runs. */
interface Checkpoint {
  since?: string | number;
}

export const httpJsonConnector: ConnectorKind<HttpJsonConfig, HttpJsonSecrets> = {
  kind: 'http-json',
  title: 'HTTP JSON API',
  description: 'Pulls records from a JSON REST API (paged, authenticated, incremental) into a collection.',
  configSchema: httpJsonConfigSchema,
  secretsSchema: httpJsonSecretsSchema,
  requiredSecrets,
  async run({ config, secrets, signal, progress, log, counts, checkpoint, http, destination }) {
    let ca: Buffer | undefined;
    if (config.tls) {
      ca = await readFile(config.tls.caFile).catch((error: NodeJS.ErrnoException) => {
        throw new SyncError('config', `config.tls.caFile: cannot read ${config.tls!.caFile} (${error.code ?? error.message})`);
      });
    }
    const client = http({ auth: authOf(config, secrets), headers: config.headers, timeoutMs: config.timeoutSeconds * 1000, retries: config.retries, ca });
    const target = destination(config.destination.collection, { key: config.destination.key ?? config.idField, strict: config.destination.strict });

    const query = { ...config.query };
    const vars: { since?: string } = {};
    let maxSeen: string | number | undefined;
    if (config.incremental) {
      const { param, format } = config.incremental;
      const since = checkpoint.get<Checkpoint>()?.since ?? config.incremental.initial;
      if (since !== undefined) {
        vars.since = format ? formatDateTime(since, format.pattern, format.timeZone) : String(since);
        if (param) query[param] = vars.since;
      }
      log('info', since === undefined ? 'first incremental run: fetching everything' : `fetching records updated since ${vars.since}`);
    }

    const minGapMs = config.requestsPerMinute ? 60_000 / config.requestsPerMinute : 0;
    let lastRequest = 0;
    const throttle = async () => {
      const wait = lastRequest + minGapMs - Date.now();
      if (wait > 0) await sleep(wait, undefined, { signal }).catch(() => undefined);
      lastRequest = Date.now();
    };

    let done = 0;
    let total: number | undefined;
    for await (const page of fetchPages({ client, config, query, vars, throttle, signal })) {
      if (signal.aborted) throw new SyncError('cancelled', `stopped after page ${page.number - 1}`);
      const { records, invalid } = recordsOf(page.data, config.itemsPath, page.what, config.itemsAre);
      if (config.pivot) pivotCells(page.data, records, config.pivot, page.what);
      counts.fetched += records.length + invalid;
      if (invalid) {
        counts.failed += invalid;
        log('warn', `page ${page.number}: ${invalid} items are not JSON objects and were skipped`);
      }
      if (config.incremental) {
        for (const record of records) maxSeen = compareCursor(record, config.incremental.field, maxSeen);
      }
      const kept = config.filter ? records.filter((record) => matchesFilter(record, config.filter!)) : records;
      counts.skipped += records.length - kept.length;
      const written = await target.upsert(kept);
      done += records.length + invalid;
      if (config.totalPath && total === undefined) {
        const value = Number(page.total);
        if (Number.isFinite(value)) total = value;
      }
      log(
        'debug',
        `page ${page.number}: ${records.length} records; ${written.created} created, ${written.updated} updated, ${written.unchanged} unchanged` +
          `${records.length - kept.length ? `, ${records.length - kept.length} filtered out` : ''}`,
      );
      progress(done, total, `page ${page.number}`);
    }
    if (config.incremental && maxSeen !== undefined) checkpoint.set({ since: maxSeen } satisfies Checkpoint);
    log('info', `done: ${counts.fetched} fetched, ${counts.created} created, ${counts.updated} updated, ${counts.unchanged} unchanged, ${counts.skipped} skipped, ${counts.failed} failed`);
  },
};
