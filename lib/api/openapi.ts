import { z } from 'zod';
import { connectorKindNames, getConnectorKind } from '@/lib/connectors/registry';
import { connectorPatchSchema, newConnectorSchema } from '@/lib/connectors/schema';

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
        code: { type: 'string', enum: ['bad_request', 'unauthorized', 'forbidden', 'not_found', 'conflict', 'unavailable', 'internal'] },
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
    policies: { type: 'object' },
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
  },
};

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

export function buildOpenApi(serverUrl: string) {
  const op = (summary: string, role: string, extra: Record<string, unknown> = {}) => ({
    summary,
    description: `Requires role: ${role}.`,
    ...extra,
  });
  return {
    openapi: '3.1.0',
    info: { title: 'Syncdeck API', version: '1', description: 'Scheduled data syncs: connectors, runs, scheduler.' },
    servers: [{ url: serverUrl }],
    security: [{ session: [] }, { bearer: [] }],
    components: {
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'next-auth.session-token' },
        bearer: { type: 'http', scheme: 'bearer', description: 'API token (sdk_…) created by an admin' },
      },
      schemas: { Error: errorBody, Connector: connectorBody, ...kindSchemas() },
    },
    paths: {
      '/api/health': { get: { summary: 'Liveness and database reachability', security: [], responses: { ...ok('ok'), ...errors(503) } } },
      '/api/me': { get: op('The caller and what its role may do', 'display', { responses: { ...ok('caller'), ...errors(401) } }) },
      '/api/connectors': {
        get: op('List connectors', 'display', { responses: { ...ok('{ connectors: Connector[] }'), ...errors(401, 403) } }),
        post: op('Create a connector (with its secrets)', 'admin', { requestBody: body(newConnectorSchema), responses: { ...connectorOk('created', '201'), ...errors(400, 401, 403, 409, 503) } }),
      },
      '/api/connectors/{id}': {
        parameters: idParam,
        get: op('One connector', 'display', { responses: { ...connectorOk('connector'), ...errors(401, 403, 404) } }),
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
      '/api/runs': {
        get: op('Run history, newest first', 'display', {
          parameters: ['connectorId', 'status', 'trigger', 'before', 'limit'].map((name) => ({ name, in: 'query', schema: { type: name === 'limit' ? 'integer' : 'string' } })),
          responses: { ...ok('{ runs, next }'), ...errors(400, 401, 403) },
        }),
      },
      '/api/runs/{id}': { parameters: idParam, get: op('One run with its log', 'display', { responses: { ...ok('run'), ...errors(401, 403, 404) } }) },
    },
  };
}
