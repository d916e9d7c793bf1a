import { z } from 'zod';
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject, type ZodOpenApiResponsesObject } from 'zod-openapi';
import { connectorKindNames, getConnectorKind } from '@/lib/connectors/registry';
import { policiesSchema } from '@/lib/connectors/schema';
import { scheduleSchema } from '@/lib/scheduling/schedule';
import { errorBodySchema } from '../errors';
import { operations, type Operation } from './registry';

/**
 * The OpenAPI document of Syncdeck's REST API, generated from the route registry (registry.ts) with zod-openapi.
 * Request schemas are the handlers' own; every operation also gets the errors its kind of route answers.
 */

const STATE_CHANGING = new Set(['post', 'put', 'patch', 'delete']);

const retryAfter = z.object({ 'Retry-After': z.string().meta({ description: 'Seconds to wait before trying again' }) });
const allow = z.object({ Allow: z.string().meta({ description: 'The methods Syncdeck serves' }) });

const ERROR_TEXT: Record<number, string> = {
  400: 'bad_request: a query, body or path that breaks a rule (`fields` names each field and rule), or a path whose percent-escapes are not UTF-8 (every path)',
  401: 'unauthorized: no valid session cookie or bearer token',
  403: 'forbidden: the role may not do this; cross_origin: a state change with the session cookie from another origin',
  404: 'not_found',
  405: 'method_not_allowed: a method other than GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS (every path; with Allow)',
  409: 'conflict',
  415: 'unsupported_media_type: a body that is not application/json',
  429: 'rate_limited: too many requests (with Retry-After)',
  503: 'unavailable: the server cannot do this now',
};

/** The errors an operation answers: its own, plus 401/403 for credentials, 403/415 for state changes, the guard's 400/405. */
function errorStatuses(op: Operation): number[] {
  const statuses = new Set([400, 405, ...(op.errors ?? [])]);
  if (op.access !== 'public') statuses.add(401);
  const changes = STATE_CHANGING.has(op.method) && op.access !== 'public' && op.access !== 'demo-key';
  if (changes) statuses.add(415);
  // Display credentials pass every role check there is; a state change may still come from another origin.
  if (changes || (op.access !== 'public' && op.access !== 'demo-key' && op.access !== 'display')) statuses.add(403);
  return [...statuses].sort((a, b) => a - b);
}

function responses(op: Operation): ZodOpenApiResponsesObject {
  const out: ZodOpenApiResponsesObject = {};
  for (const [status, success] of Object.entries(op.success)) {
    out[status as `${1 | 2 | 3 | 4 | 5}${string}`] = {
      description: success.description,
      ...(success.headers ? { headers: success.headers } : {}),
      ...(success.schema ? { content: { 'application/json': { schema: success.schema } } } : {}),
    };
  }
  for (const status of errorStatuses(op)) {
    // The health route answers 503 with its own body: degraded, and why.
    const schema = status === 503 && op.access === 'public' ? op.success[200]!.schema! : errorBodySchema;
    const headers = status === 429 || (status === 503 && op.access === 'demo-key') ? retryAfter : status === 405 ? allow : undefined;
    out[String(status) as `${4 | 5}${string}`] = {
      description: ERROR_TEXT[status]!,
      ...(headers ? { headers } : {}),
      content: { 'application/json': { schema } },
    };
  }
  return out;
}

function roleNote(op: Operation): string {
  if (op.access === 'public') return 'Public: no credential needed.';
  if (op.access === 'demo-key') return 'Only with the demo key (header X-API-Key), never a session or token.';
  return `Requires role: ${op.access}.`;
}

function operationObject(op: Operation): ZodOpenApiOperationObject {
  const params = op.params || op.query ? { requestParams: { ...(op.params ? { path: op.params } : {}), ...(op.query ? { query: op.query } : {}) } } : {};
  return {
    operationId: op.operationId,
    summary: op.summary,
    description: [op.description, roleNote(op)].filter(Boolean).join(' '),
    ...(op.access === 'public' ? { security: [] } : op.access === 'demo-key' ? { security: [{ demoKey: [] }] } : {}),
    ...params,
    ...(op.body ? { requestBody: { required: true, content: { 'application/json': { schema: op.body } } } } : {}),
    responses: responses(op),
  };
}

/** Each kind's config and secrets as `Config-<kind>` and `Secrets-<kind>`, as written in requests. */
function kindSchemas(): Record<string, Record<string, unknown>> {
  const jsonSchema = (schema: z.ZodType) => {
    const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
    return rest;
  };
  return Object.fromEntries(
    connectorKindNames().flatMap((name) => {
      const kind = getConnectorKind(name)!;
      return [
        [`Config-${name}`, { description: `${kind.title}: ${kind.description}`, ...jsonSchema(kind.configSchema) }],
        [`Secrets-${name}`, { description: `Secrets of ${name} connectors (write-only)`, ...jsonSchema(kind.secretsSchema) }],
      ];
    }),
  );
}

/** Built once (15-30 ms of CPU); only the server address differs between answers. */
let built: ReturnType<typeof createOpenApi> | undefined;

/** The document, with `serverUrl` as its server. Shared: callers must not change it. */
export function buildOpenApi(serverUrl: string) {
  built ??= createOpenApi();
  const { openapi, info, ...rest } = built;
  return { openapi, info, servers: [{ url: serverUrl }], ...rest };
}

function createOpenApi() {
  const paths: ZodOpenApiPathsObject = {};
  for (const op of operations) paths[op.path] = { ...paths[op.path], [op.method]: operationObject(op) };
  return createDocument(
    {
      openapi: '3.1.0',
      info: {
        title: 'Syncdeck API',
        version: '1',
        description:
          'Scheduled data syncs: connectors, runs, scheduler. A POST, PUT, PATCH or DELETE made with the session cookie ' +
          "must come from Syncdeck's own origin (Origin, else Referer, and Sec-Fetch-Site are checked; 403 cross_origin " +
          'otherwise); bearer tokens are exempt. Request bodies of those methods must be application/json (415). On every ' +
          'path, percent-escapes that are not UTF-8 answer 400 and methods other than GET, HEAD, POST, PUT, PATCH, DELETE ' +
          'and OPTIONS answer 405. Every error has one shape (components.schemas.Error). Sign-in (/api/auth/*) is ' +
          "next-auth's own protocol; too many attempts answer 429 rate_limited with Retry-After.",
      },
      security: [{ session: [] }, { bearer: [] }],
      paths,
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'next-auth.session-token', description: 'The browser session after sign-in (`__Secure-` prefixed over HTTPS)' },
          bearer: { type: 'http', scheme: 'bearer', description: 'API token (sdk_…) created by an admin' },
          demoKey: { type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'The demo source key, held by the demo connector' },
        },
        // Named by identity, so every use of these very schemas (bodies and answers) refers to one component.
        schemas: { Schedule: scheduleSchema, Policies: policiesSchema, ...kindSchemas() },
      },
    },
    { outputIdSuffix: 'Output' },
  );
}
