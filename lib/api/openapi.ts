import { z } from 'zod';
import { connectorKindNames, getConnectorKind } from '@/lib/connectors/registry';
import { connectorPatchSchema, newConnectorSchema } from '@/lib/connectors/schema';
import { auditQuerySchema } from '@/lib/audit/schema';
import { newTokenSchema } from '@/lib/auth/tokens';
import { userPatchSchema } from '@/lib/users/manage';
import { newUserSchema } from '@/lib/users/users';
import { ERROR_CODES } from './errors';

/**
 * The OpenAPI description of Syncdeck's REST API. Request bodies come from the same zod schemas the
 * route handlers validate with, so the document cannot drift from what the server accepts.
 */

const jsonSchema = (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });

const errorBody = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string', enum: ERROR_CODES },
        message: { type: 'string' },
        fields: { type: 'array', items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } } } },
      },
    },
  },
};

/** A connector as the API answers with it: secrets only as "set" with a date, never their values. */
const connectorBody = {
  type: 'object',
  required: ['id', 'name', 'kind', 'config', 'secrets', 'enabled', 'schedules', 'policies', 'createdAt', 'updatedAt'],
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    description: { type: 'string' },
    kind: { type: 'string', enum: connectorKindNames() },
    config: { type: 'object', description: 'Validated by the kind: see components.schemas.Config-<kind>' },
    secrets: {
      type: 'object',
      description: 'Which secrets are set (write them with POST/PATCH `secrets`; null removes one). Values are never returned.',
      additionalProperties: {
        type: 'object',
        required: ['set', 'updatedAt'],
        properties: { set: { type: 'boolean', const: true }, updatedAt: { type: 'string', format: 'date-time' } },
      },
    },
    enabled: { type: 'boolean' },
    schedules: { type: 'array', items: { type: 'object' } },
    policies: {
      type: 'object',
      description: 'Omitted fields take their defaults (see README, Policies)',
      properties: {
        overlap: { type: 'string', enum: ['skip', 'queue-one', 'cancel-running'], default: 'skip' },
        minGapSeconds: { type: 'integer', minimum: 0, default: 0, description: "Skip a slot when the previous run started less than this before the slot's time" },
        timeoutSeconds: { type: 'integer', minimum: 1, default: 3600 },
        missedSlots: { type: 'string', enum: ['run-once', 'skip'], default: 'run-once' },
        catchUpGraceSeconds: { type: 'integer', minimum: 0, default: 3600, description: 'A slot starting later than this (60 s at most) after its time counts as missed; a missed slot older than this is only recorded as skipped' },
        retryAttempts: { type: 'integer', minimum: 0, maximum: 10, default: 0 },
        retryBackoffSeconds: { type: 'integer', minimum: 1, default: 30 },
        retryMaxBackoffSeconds: { type: 'integer', minimum: 1, default: 900 },
        rerunInterrupted: { type: 'boolean', default: true, description: "Run a run interrupted by its server process's death again once, as `<run id>~rerun`" },
      },
    },
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
  },
};

const userBody = {
  type: 'object',
  required: ['id', 'email', 'name', 'role', 'disabled', 'createdAt'],
  properties: {
    id: { type: 'string' },
    email: { type: 'string', format: 'email' },
    name: { type: 'string' },
    role: { type: 'string', enum: ['viewer', 'operator', 'admin'] },
    disabled: { type: 'boolean' },
    createdAt: { type: 'string', format: 'date-time' },
    lastLoginAt: { type: 'string', format: 'date-time' },
  },
};

const tokenBody = {
  type: 'object',
  required: ['id', 'name', 'role', 'hint', 'createdBy', 'createdAt'],
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    role: { type: 'string', enum: ['display', 'viewer', 'operator', 'admin'] },
    hint: { type: 'string', description: 'The first characters of the token, to tell tokens apart' },
    createdBy: { type: 'string' },
    createdAt: { type: 'string', format: 'date-time' },
    lastUsedAt: { type: 'string', format: 'date-time' },
    revokedAt: { type: 'string', format: 'date-time' },
    revokedBy: { type: 'string' },
  },
};

const auditEntryBody = {
  type: 'object',
  required: ['id', 'at', 'actor', 'action', 'target', 'changes'],
  properties: {
    id: { type: 'string' },
    at: { type: 'string', format: 'date-time' },
    actor: {
      type: 'object',
      properties: { kind: { type: 'string', enum: ['user', 'token', 'cli'] }, id: { type: 'string' }, label: { type: 'string' }, role: { type: 'string' } },
    },
    action: { type: 'string', description: '<target>.<verb>, e.g. connector.update, user.disable, token.revoke' },
    target: { type: 'object', properties: { type: { type: 'string' }, id: { type: 'string' } } },
    changes: {
      type: 'array',
      description: 'Changed fields as dotted paths; secret values never appear (secrets by name only)',
      items: { type: 'object', required: ['path'], properties: { path: { type: 'string' }, before: {}, after: {} } },
    },
    details: { type: 'object', description: 'Facts that are not a field change, such as the runId a manual run started' },
  },
};

/** Query parameters from a zod object schema, so the document lists exactly what the route accepts. */
function queryParams(schema: z.ZodObject): Array<Record<string, unknown>> {
  const shape = jsonSchema(schema) as { properties?: Record<string, unknown> };
  return Object.entries(shape.properties ?? {}).map(([name, schema]) => ({ name, in: 'query', schema }));
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const jsonOk = (description: string, schema: unknown, status = '200') => ({ [status]: { description, content: { 'application/json': { schema } } } });

/** Each kind's config and secrets, as `Config-<kind>` and `Secrets-<kind>`. */
function kindSchemas(): Record<string, unknown> {
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

const errors = (...codes: number[]) =>
  Object.fromEntries(codes.map((code) => [String(code), { description: 'Error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } }]));
const ok = (description: string, status = '200') => ({ [status]: { description, content: { 'application/json': {} } } });
const connectorOk = (description: string, status = '200') => ({
  [status]: { description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Connector' } } } },
});
const idParam = [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }];
const body = (schema: z.ZodType) => ({ required: true, content: { 'application/json': { schema: jsonSchema(schema) } } });

const STATE_CHANGING = ['post', 'put', 'patch', 'delete'];

/**
 * Every state-changing operation also answers 403 `cross_origin` (a browser session used from another origin) and
 * 415 `unsupported_media_type` (a body that is not application/json): added here rather than to each operation.
 */
function withStateChangeRules<T extends Record<string, Record<string, unknown>>>(paths: T): T {
  for (const item of Object.values(paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!STATE_CHANGING.includes(method)) continue;
      const operation = op as { responses: Record<string, unknown> };
      operation.responses = { ...operation.responses, ...errors(403, 415) };
    }
  }
  return paths;
}

export function buildOpenApi(serverUrl: string) {
  const op = (summary: string, role: string, extra: Record<string, unknown> = {}) => ({
    summary,
    description: `Requires role: ${role}.`,
    ...extra,
  });
  return {
    openapi: '3.1.0',
    info: {
      title: 'Syncdeck API',
      version: '1',
      description:
        'Scheduled data syncs: connectors, runs, scheduler. A POST, PUT, PATCH or DELETE made with the session cookie ' +
        'must come from Syncdeck\'s own origin (Origin, else Referer, and Sec-Fetch-Site are checked; 403 cross_origin ' +
        'otherwise); bearer tokens are exempt. Request bodies of those methods must be application/json (415). On every ' +
        'path, percent-escapes that are not UTF-8 answer 400 and methods other than GET, HEAD, POST, PUT, PATCH, DELETE ' +
        'and OPTIONS answer 405.',
    },
    servers: [{ url: serverUrl }],
    security: [{ session: [] }, { bearer: [] }],
    components: {
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'next-auth.session-token' },
        bearer: { type: 'http', scheme: 'bearer', description: 'API token (sdk_…) created by an admin' },
      },
      schemas: { Error: errorBody, Connector: connectorBody, User: userBody, Token: tokenBody, AuditEntry: auditEntryBody, ...kindSchemas() },
    },
    paths: withStateChangeRules({
      '/api/health': { get: { summary: 'Liveness and database reachability', security: [], responses: { ...ok('ok'), ...errors(503) } } },
      '/api/me': { get: op('The caller and what its role may do', 'display', { responses: { ...ok('caller'), ...errors(401) } }) },
      '/api/connectors': {
        get: op('List connectors', 'viewer', { responses: { ...ok('{ connectors: Connector[] }'), ...errors(401, 403) } }),
        post: op('Create a connector (with its secrets)', 'admin', { requestBody: body(newConnectorSchema), responses: { ...connectorOk('created', '201'), ...errors(400, 401, 403, 409, 503) } }),
      },
      '/api/connectors/{id}': {
        parameters: idParam,
        get: op('One connector', 'viewer', { responses: { ...connectorOk('connector'), ...errors(401, 403, 404) } }),
        patch: op('Change a connector; `secrets` sets (value) or removes (null) the ones it names; `checkpoint: null` restarts incremental syncs', 'admin', {
          requestBody: body(connectorPatchSchema),
          responses: { ...connectorOk('connector'), ...errors(400, 401, 403, 404, 503) },
        }),
        delete: op('Delete a connector', 'admin', { responses: { '204': { description: 'deleted' }, ...errors(401, 403, 404) } }),
      },
      '/api/connectors/{id}/run': {
        parameters: [
          ...idParam,
          { name: 'wait', in: 'query', schema: { type: 'string', enum: ['true', 'false'] }, description: 'Answer with the finished run' },
          { name: 'timeout', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 3600 }, description: 'Seconds to wait with wait=true' },
        ],
        post: op('Run now', 'operator', { responses: { ...ok('finished run (wait=true)'), ...ok('queued: { runId }', '202'), ...errors(400, 401, 403, 404, 409) } }),
      },
      '/api/connectors/{id}/cancel': { parameters: idParam, post: op('Cancel the running run', 'operator', { responses: { ...ok('{ runId }', '202'), ...errors(401, 403, 404, 409) } }) },
      '/api/connectors/{id}/enable': { parameters: idParam, post: op('Turn automatic runs on', 'operator', { responses: { ...ok('connector'), ...errors(401, 403, 404) } }) },
      '/api/connectors/{id}/disable': { parameters: idParam, post: op('Turn automatic runs off', 'operator', { responses: { ...ok('connector'), ...errors(401, 403, 404) } }) },
      '/api/connectors/{id}/status': { parameters: idParam, get: op('Status, last and next runs, failure streak', 'display', { responses: { ...ok('status'), ...errors(401, 403, 404) } }) },
      '/api/activity': {
        get: op('Outcomes per hour and durations per connector across all connectors (the wall charts)', 'display', {
          parameters: [{ name: 'hours', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 168, default: 24 } }],
          responses: { ...ok('activity'), ...errors(400, 401, 403) },
        }),
      },
      '/api/overview': { get: op('Every connector status, the scheduler and instances', 'display', { responses: { ...ok('overview'), ...errors(401, 403) } }) },
      '/api/metrics': {
        get: op('Memory (process.memoryUsage) and uptime of the answering instance; `gc=true` collects garbage first when Node runs with --expose-gc', 'admin', {
          parameters: [{ name: 'gc', in: 'query', schema: { type: 'string', enum: ['true', 'false'] } }],
          responses: { ...ok('metrics'), ...errors(400, 401, 403) },
        }),
      },
      '/api/overview/stats': {
        get: op('Success rate, p50/p95 durations and sparkline per connector over `days`; runs per hour by outcome over `hours`', 'viewer', {
          parameters: ['days', 'hours', 'sparkline'].map((name) => ({ name, in: 'query', schema: { type: 'integer' } })),
          responses: { ...ok('overview stats'), ...errors(400, 401, 403) },
        }),
      },
      '/api/runs': {
        get: op('Run history, newest first; pass `next` as `before` for the following page; `after` (ISO date-time, inclusive) keeps runs queued from then on', 'viewer', {
          parameters: ['connectorId', 'status', 'trigger', 'after', 'before', 'limit'].map((name) => ({ name, in: 'query', schema: { type: name === 'limit' ? 'integer' : 'string' } })),
          responses: { ...ok('{ runs, next }'), ...errors(400, 401, 403) },
        }),
      },
      '/api/users': {
        get: op('List users', 'admin', { responses: { ...jsonOk('{ users: User[] }', { type: 'object', properties: { users: { type: 'array', items: ref('User') } } }), ...errors(401, 403) } }),
        post: op('Create a user', 'admin', { requestBody: body(newUserSchema), responses: { ...jsonOk('created', ref('User'), '201'), ...errors(400, 401, 403, 409) } }),
      },
      '/api/users/{id}': {
        parameters: idParam,
        patch: op('Change a user: name, role, disabled, or a new password. 409 when it would leave no enabled admin', 'admin', {
          requestBody: body(userPatchSchema),
          responses: { ...jsonOk('user', ref('User')), ...errors(400, 401, 403, 404, 409) },
        }),
      },
      '/api/tokens': {
        get: op('List API and display tokens (never the tokens themselves)', 'admin', {
          responses: { ...jsonOk('{ tokens: Token[] }', { type: 'object', properties: { tokens: { type: 'array', items: ref('Token') } } }), ...errors(401, 403) },
        }),
        post: op('Create a token; the answer carries it in clear text, the only time it is shown', 'admin', {
          requestBody: body(newTokenSchema),
          responses: { ...jsonOk('created', { allOf: [ref('Token'), { type: 'object', required: ['token'], properties: { token: { type: 'string' } } }] }, '201'), ...errors(400, 401, 403) },
        }),
      },
      '/api/tokens/{id}': {
        parameters: idParam,
        delete: op('Revoke a token', 'admin', { responses: { ...jsonOk('revoked token', ref('Token')), ...errors(401, 403, 404, 409) } }),
      },
      '/api/audit': {
        get: op('The audit log, newest first; pass `next` as `before` for the following page', 'admin', {
          parameters: queryParams(auditQuerySchema),
          responses: {
            ...jsonOk('{ entries, next }', { type: 'object', properties: { entries: { type: 'array', items: ref('AuditEntry') }, next: { type: ['string', 'null'] } } }),
            ...errors(400, 401, 403),
          },
        }),
      },
      '/api/runs/{id}': { parameters: idParam, get: op('One run with its log', 'viewer', { responses: { ...ok('run'), ...errors(401, 403, 404) } }) },
    }),
  };
}
