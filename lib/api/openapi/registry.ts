import { z } from 'zod';
import { activityQuery } from '@/app/api/activity/schema';
import { runNowQuery } from '@/app/api/connectors/[id]/run/schema';
import { connectorStatsQuery } from '@/app/api/connectors/[id]/stats/schema';
import { metricsQuery } from '@/app/api/metrics/schema';
import { overviewStatsQuery } from '@/app/api/overview/stats/schema';
import { runsQuery } from '@/app/api/runs/schema';
import { schedulePreviewBody } from '@/app/api/schedules/preview/schema';
import { auditQuerySchema } from '@/lib/audit/schema';
import type { Role } from '@/lib/auth/roles';
import { newTokenSchema } from '@/lib/auth/tokens';
import { connectorIdSchema, connectorPatchSchema, newConnectorSchema } from '@/lib/connectors/schema';
import { demoSourceQuerySchema } from '@/lib/demo-source/customers';
import { userPatchSchema } from '@/lib/users/manage';
import { newUserSchema } from '@/lib/users/users';
import * as r from './resource-schemas';
import { activitySchema, connectorStatsSchema, overviewStatsSchema, runRefSchema, runSchema, runsPageSchema } from './run-schemas';

/**
 * Every route of the REST API with the schemas of its path parameters, query, body and answers. The query and body
 * schemas are the objects the handlers parse with (`parseQuery`/`parseBody`), so the document cannot drift from
 * what the server accepts; the answers' schemas are checked against real answers by tests/integration/openapi.test.ts.
 * The errors every operation of its kind answers (401, 403, 415, the guard's 400 and 405) are added by document.ts.
 */

export type Method = 'get' | 'post' | 'patch' | 'delete';
export type SuccessStatus = 200 | 201 | 202 | 204;

export interface Success {
  description: string;
  /** Absent only for 204. */
  schema?: z.ZodType;
  headers?: z.ZodObject;
}

export interface Operation {
  method: Method;
  /** The OpenAPI form of the path: `{id}` for the `[id]` folder. */
  path: `/api/${string}`;
  /** Stable and camelCase: generated clients name their methods after it. */
  operationId: string;
  summary: string;
  description?: string;
  /** The least role that may call it; `public` needs no credential, `demo-key` only the demo source's key. */
  access: Role | 'public' | 'demo-key';
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  success: Partial<Record<SuccessStatus, Success>>;
  /** Errors particular to this operation (404, 409, 429, 503); the common ones are added for every operation. */
  errors?: number[];
}

const connectorParams = z.object({ id: connectorIdSchema.meta({ description: 'The connector id' }) });
const idParams = (what: string) => z.object({ id: z.string().meta({ description: `The ${what} id` }) });
const ok = (description: string, schema: z.ZodType) => ({ 200: { description, schema } });
const location = z.object({ Location: z.string().optional().meta({ description: 'Where to follow the run: /api/runs/{runId}' }) });

export const operations: Operation[] = [
  {
    method: 'get', path: '/api/health', operationId: 'getHealth', access: 'public',
    summary: 'Liveness and database reachability',
    description: 'Public and minimal: ok when the database answers, degraded (503, same body) otherwise.',
    success: ok('The database answers', r.healthSchema),
    errors: [503],
  },
  { method: 'get', path: '/api/me', operationId: 'getMe', access: 'display', summary: 'The caller and what its role may do', success: ok('The caller', r.meSchema) },
  { method: 'get', path: '/api/openapi.json', operationId: 'getOpenApiDocument', access: 'viewer', summary: 'This document', success: ok('OpenAPI 3.1', r.openApiDocumentSchema) },
  { method: 'get', path: '/api/connectors', operationId: 'listConnectors', access: 'viewer', summary: 'List connectors, by name', success: ok('Every connector', r.connectorListSchema) },
  {
    method: 'post', path: '/api/connectors', operationId: 'createConnector', access: 'admin', summary: 'Create a connector (with its secrets)',
    body: newConnectorSchema,
    success: { 201: { description: 'Created', schema: r.connectorSchema } },
    errors: [409, 503],
  },
  { method: 'get', path: '/api/connectors/{id}', operationId: 'getConnector', access: 'viewer', summary: 'One connector', params: connectorParams, success: ok('The connector', r.connectorSchema), errors: [404] },
  {
    method: 'patch', path: '/api/connectors/{id}', operationId: 'updateConnector', access: 'admin',
    summary: 'Change a connector',
    description: '`secrets` sets (value) or removes (null) the ones it names; `checkpoint: null` restarts incremental syncs; `policies` merge field by field.',
    params: connectorParams, body: connectorPatchSchema,
    success: ok('The changed connector', r.connectorSchema),
    errors: [404, 503],
  },
  { method: 'delete', path: '/api/connectors/{id}', operationId: 'deleteConnector', access: 'admin', summary: 'Delete a connector', params: connectorParams, success: { 204: { description: 'Deleted' } }, errors: [404] },
  {
    method: 'post', path: '/api/connectors/{id}/run', operationId: 'runConnector', access: 'operator',
    summary: 'Run now',
    description: 'Answers 202 with the run id at once, or with `wait=true` the run once it finished (200), or as it stands when `timeout` ran out (202).',
    params: connectorParams, query: runNowQuery,
    success: {
      200: { description: 'The finished run, with its log (wait=true)', schema: runSchema },
      202: { description: 'Queued: the run id (Location points to the run); with wait=true, the run still going', schema: z.union([runRefSchema, runSchema]), headers: location },
    },
    errors: [404, 409],
  },
  {
    method: 'post', path: '/api/connectors/{id}/cancel', operationId: 'cancelConnectorRun', access: 'operator',
    summary: "Cancel the connector's run going now",
    params: connectorParams,
    success: { 202: { description: 'Cancelled (queued) or asked to stop (running)', schema: runRefSchema } },
    errors: [404, 409],
  },
  { method: 'post', path: '/api/connectors/{id}/enable', operationId: 'enableConnector', access: 'operator', summary: 'Turn automatic runs on', params: connectorParams, success: ok('The connector', r.connectorSchema), errors: [404] },
  { method: 'post', path: '/api/connectors/{id}/disable', operationId: 'disableConnector', access: 'operator', summary: 'Turn automatic runs off', params: connectorParams, success: ok('The connector', r.connectorSchema), errors: [404] },
  {
    method: 'get', path: '/api/connectors/{id}/status', operationId: 'getConnectorStatus', access: 'display',
    summary: 'Status, last and next runs, failure streak', params: connectorParams,
    success: ok('The status', r.connectorStatusSchema), errors: [404],
  },
  {
    method: 'get', path: '/api/connectors/{id}/stats', operationId: 'getConnectorStats', access: 'viewer',
    summary: 'Durations (p50/p95), records per run, outcomes per day and failure streaks over `days`',
    params: connectorParams, query: connectorStatsQuery,
    success: ok('The figures', connectorStatsSchema), errors: [404],
  },
  {
    method: 'get', path: '/api/activity', operationId: 'getActivity', access: 'display',
    summary: 'Outcomes per hour and durations per connector across all connectors (the wall charts)',
    query: activityQuery, success: ok('The figures', activitySchema),
  },
  { method: 'get', path: '/api/overview', operationId: 'getOverview', access: 'display', summary: 'Every connector status, the scheduler and instances', success: ok('The overview', r.overviewSchema) },
  {
    method: 'get', path: '/api/overview/stats', operationId: 'getOverviewStats', access: 'viewer',
    summary: 'Success rate, p50/p95 durations and sparkline per connector over `days`; runs per hour by outcome over `hours`',
    query: overviewStatsQuery, success: ok('The figures', overviewStatsSchema),
  },
  {
    method: 'get', path: '/api/metrics', operationId: 'getMetrics', access: 'admin',
    summary: 'Memory (process.memoryUsage) and uptime of the answering instance',
    query: metricsQuery, success: ok('The figures', r.metricsSchema),
  },
  {
    method: 'get', path: '/api/runs', operationId: 'listRuns', access: 'viewer',
    summary: 'Run history, newest first',
    description: 'Pass `next` as `before` for the following page; `after` (ISO date-time, inclusive) keeps runs queued from then on.',
    query: runsQuery, success: ok('One page of runs (without logs)', runsPageSchema),
  },
  { method: 'get', path: '/api/runs/{id}', operationId: 'getRun', access: 'viewer', summary: 'One run with its log', params: idParams('run'), success: ok('The run', runSchema), errors: [404] },
  { method: 'get', path: '/api/scheduler', operationId: 'getScheduler', access: 'viewer', summary: 'The scheduler: state, queued slots, runs going', success: ok('The scheduler', r.schedulerViewSchema) },
  { method: 'post', path: '/api/scheduler/pause', operationId: 'pauseScheduler', access: 'operator', summary: 'Pause automatic runs on every instance', success: ok('The scheduler', r.schedulerViewSchema) },
  { method: 'post', path: '/api/scheduler/resume', operationId: 'resumeScheduler', access: 'operator', summary: 'Resume automatic runs', success: ok('The scheduler', r.schedulerViewSchema) },
  {
    method: 'post', path: '/api/schedules/preview', operationId: 'previewSchedule', access: 'viewer',
    summary: 'The next slots of a schedule that may not be saved yet',
    body: schedulePreviewBody, success: ok('Its description and next slots', r.schedulePreviewSchema),
  },
  { method: 'get', path: '/api/users', operationId: 'listUsers', access: 'admin', summary: 'List users', success: ok('Every user', r.userListSchema) },
  { method: 'post', path: '/api/users', operationId: 'createUser', access: 'admin', summary: 'Create a user', body: newUserSchema, success: { 201: { description: 'Created', schema: r.userSchema } }, errors: [409] },
  {
    method: 'patch', path: '/api/users/{id}', operationId: 'updateUser', access: 'admin',
    summary: 'Change a user: name, role, disabled, or a new password',
    description: '409 when the change would leave no enabled admin.',
    params: idParams('user'), body: userPatchSchema, success: ok('The user', r.userSchema), errors: [404, 409],
  },
  { method: 'get', path: '/api/tokens', operationId: 'listTokens', access: 'admin', summary: 'List API and display tokens (never the tokens themselves)', success: ok('Every token', r.tokenListSchema) },
  {
    method: 'post', path: '/api/tokens', operationId: 'createToken', access: 'admin',
    summary: 'Create a token; the answer carries it in clear text, the only time it is shown',
    body: newTokenSchema, success: { 201: { description: 'Created', schema: r.newTokenAnswerSchema } },
  },
  { method: 'delete', path: '/api/tokens/{id}', operationId: 'revokeToken', access: 'admin', summary: 'Revoke a token at once; it stays listed as revoked', params: idParams('token'), success: ok('The revoked token', r.tokenSchema), errors: [404, 409] },
  {
    method: 'get', path: '/api/audit', operationId: 'listAuditEntries', access: 'admin',
    summary: 'The audit log, newest first; pass `next` as `before` for the following page',
    query: auditQuerySchema, success: ok('One page of entries', r.auditPageSchema),
  },
  {
    method: 'get', path: '/api/demo-source/customers', operationId: 'listDemoCustomers', access: 'demo-key',
    summary: 'The built-in demo upstream: generated customers (demo mode only)',
    description: 'Misbehaves on purpose as its query asks: 429 and 503 with Retry-After, slow answers, outage minutes. 404 when demo mode is off.',
    query: demoSourceQuerySchema, success: ok('One page of customers', r.demoPageSchema),
    errors: [404, 429, 503],
  },
];
