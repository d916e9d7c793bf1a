import { z } from 'zod';
import type { AuditEntry } from '@/lib/audit/audit';
import { auditTargetTypes } from '@/lib/audit/schema';
import { tokenRoleSchema, userRoleSchema } from '@/lib/auth/roles';
import type { ApiToken } from '@/lib/auth/tokens';
import type { Permissions } from '@/lib/auth/permissions';
import { connectorKindNames } from '@/lib/connectors/registry';
import { policiesSchema } from '@/lib/connectors/schema';
import type { ConnectorStatus } from '@/lib/connectors/status';
import type { Connector } from '@/lib/connectors/store';
import type { DemoPage } from '@/lib/demo-source/customers';
import type { ProcessMetrics } from '@/lib/metrics';
import type { Overview } from '@/lib/overview';
import type { getSchedulerView } from '@/lib/scheduling/service';
import { cronScheduleSchema, intervalScheduleSchema, scheduleSchema } from '@/lib/scheduling/schedule';
import type { User } from '@/lib/users/users';
import { isoTime, runErrorSchema, runSchema } from './run-schemas';
import type { Same } from './same';

/**
 * What the API answers about connectors, the scheduler, access and the server, as zod schemas (see run-schemas.ts).
 * Schedules and policies are the very schemas requests are validated with, read as what they produce.
 */

const count = z.number().int().min(0);

export const connectorSchema = z
  .strictObject({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    kind: z.string().meta({ enum: connectorKindNames() }),
    config: z.record(z.string(), z.unknown()).meta({ description: 'Validated by the kind: see components.schemas.Config-<kind>' }),
    secrets: z
      .record(z.string(), z.strictObject({ set: z.literal(true), updatedAt: isoTime }))
      .meta({ description: 'Which secrets are set (write them with POST/PATCH `secrets`; null removes one). Values are never returned.' }),
    enabled: z.boolean().meta({ description: 'Automatic (scheduled) runs; manual runs are always allowed' }),
    schedules: z.array(scheduleSchema),
    policies: policiesSchema,
    createdAt: isoTime,
    updatedAt: isoTime,
  })
  .meta({ id: 'Connector' });

export const connectorListSchema = z.strictObject({ connectors: z.array(connectorSchema) }).meta({ id: 'ConnectorList' });

const upcoming = { description: z.string(), nextRuns: z.array(isoTime) };
const scheduleStatusSchema = z.discriminatedUnion('type', [intervalScheduleSchema.extend(upcoming), cronScheduleSchema.extend(upcoming)]);

export const connectorStatusSchema = z
  .strictObject({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    kind: z.string(),
    enabled: z.boolean(),
    running: runSchema.nullable().meta({ description: 'The run going now (or queued to start), with its live progress' }),
    pendingRetry: runSchema.nullable().meta({ description: 'A retry waiting out its backoff' }),
    lastRun: runSchema.nullable(),
    lastSuccess: isoTime.nullable(),
    nextRun: isoTime.nullable(),
    totalRuns: count,
    lastError: runErrorSchema.nullable(),
    consecutiveFailures: count,
    longestFailureStreak: count,
    schedules: z.array(scheduleStatusSchema),
  })
  .meta({ id: 'ConnectorStatus' });

const schedulerState = z.enum(['running', 'paused']);

export const overviewSchema = z
  .strictObject({
    connectors: z.array(connectorStatusSchema),
    scheduler: z.strictObject({ state: schedulerState }),
    instances: z.array(
      z.strictObject({ id: z.string(), host: z.string(), startedAt: isoTime, lastHeartbeatAt: isoTime, alive: z.boolean(), runningRuns: count }),
    ),
    heartbeatIntervalMs: z.number().int().min(1),
    serverTime: isoTime,
  })
  .meta({ id: 'Overview' });

export const schedulerViewSchema = z
  .strictObject({
    state: schedulerState,
    pausedAt: isoTime.nullable(),
    pausedBy: z.string().nullable(),
    resumedAt: isoTime.nullable(),
    resumedBy: z.string().nullable(),
    pendingSlots: count.meta({ description: 'Slot jobs waiting in the queue' }),
    runningRuns: count.meta({ description: 'Runs going on live instances' }),
    instances: count,
  })
  .meta({ id: 'Scheduler' });

export const schedulePreviewSchema = z
  .strictObject({ description: z.string(), slots: z.array(isoTime) })
  .meta({ id: 'SchedulePreview' });

export const meSchema = z
  .strictObject({
    kind: z.enum(['user', 'token']),
    name: z.string(),
    label: z.string().meta({ description: 'How runs and the audit log name the caller' }),
    role: tokenRoleSchema,
    can: z.strictObject({
      run: z.boolean(),
      cancel: z.boolean(),
      toggle: z.boolean(),
      controlScheduler: z.boolean(),
      editConnectors: z.boolean(),
      manageUsers: z.boolean(),
      manageTokens: z.boolean(),
      readAudit: z.boolean(),
    }),
  })
  .meta({ id: 'Me' });

export const healthSchema = z
  .strictObject({
    status: z.enum(['ok', 'degraded']),
    database: z.strictObject({
      status: z.enum(['ok', 'degraded', 'down']),
      since: isoTime,
      error: z.string().optional().meta({ description: 'What is wrong, in fixed words without addresses or internals' }),
    }),
  })
  .meta({ id: 'Health' });

const bytes = z.number().int().min(0);
export const metricsSchema = z
  .strictObject({
    instanceId: z.string(),
    uptimeS: count,
    memory: z.strictObject({ rss: bytes, heapTotal: bytes, heapUsed: bytes, external: bytes, arrayBuffers: bytes }).meta({ description: 'Bytes, from process.memoryUsage()' }),
    collected: z.boolean().meta({ description: 'Whether a full garbage collection ran just before measuring' }),
  })
  .meta({ id: 'Metrics' });

export const userSchema = z
  .strictObject({
    id: z.string(),
    email: z.email(),
    name: z.string(),
    role: userRoleSchema,
    disabled: z.boolean(),
    createdAt: isoTime,
    lastLoginAt: isoTime.optional(),
  })
  .meta({ id: 'User' });
export const userListSchema = z.strictObject({ users: z.array(userSchema) }).meta({ id: 'UserList' });

const tokenFields = {
  id: z.string(),
  name: z.string(),
  role: tokenRoleSchema,
  hint: z.string().meta({ description: 'The first characters of the token, to tell tokens apart' }),
  createdBy: z.string(),
  createdAt: isoTime,
  lastUsedAt: isoTime.optional(),
  revokedAt: isoTime.optional(),
  revokedBy: z.string().optional(),
};
export const tokenSchema = z.strictObject(tokenFields).meta({ id: 'Token' });
export const tokenListSchema = z.strictObject({ tokens: z.array(tokenSchema) }).meta({ id: 'TokenList' });
export const newTokenAnswerSchema = z
  .strictObject({ ...tokenFields, token: z.string().meta({ description: 'The token itself: shown this once, never stored' }) })
  .meta({ id: 'NewToken' });

export const auditEntrySchema = z
  .strictObject({
    id: z.string(),
    at: isoTime,
    actor: z.strictObject({ kind: z.enum(['user', 'token', 'cli']), id: z.string(), label: z.string(), role: tokenRoleSchema }),
    action: z.string().meta({ description: '<target>.<verb>, e.g. connector.update, user.disable, token.revoke' }),
    target: z.strictObject({ type: z.enum(auditTargetTypes), id: z.string() }),
    changes: z
      .array(z.strictObject({ path: z.string(), before: z.unknown().optional(), after: z.unknown().optional() }))
      .meta({ description: 'Changed fields as dotted paths; secret values never appear (secrets by name only)' }),
    details: z.record(z.string(), z.unknown()).optional().meta({ description: 'Facts that are not a field change, such as the runId a manual run started' }),
  })
  .meta({ id: 'AuditEntry' });
export const auditPageSchema = z
  .strictObject({ entries: z.array(auditEntrySchema), next: z.string().nullable().meta({ description: 'Pass as `before` for the following page' }) })
  .meta({ id: 'AuditPage' });

export const demoPageSchema = z
  .strictObject({
    demo: z.literal(true),
    notice: z.string(),
    data: z.array(
      z.strictObject({
        id: z.string(),
        name: z.string(),
        email: z.string(),
        company: z.string(),
        country: z.string(),
        plan: z.string(),
        seats: count,
        status: z.string(),
        monthlySpend: z.number(),
        createdAt: isoTime,
        updatedAt: isoTime,
        version: count,
      }),
    ),
    page: z.number().int().min(1),
    per_page: z.number().int().min(1),
    total: count,
    total_pages: count,
    next_page: z.number().int().nullable(),
  })
  .meta({ id: 'DemoCustomersPage' });

export const openApiDocumentSchema = z.record(z.string(), z.unknown()).meta({ id: 'OpenApiDocument', description: 'This document (OpenAPI 3.1)' });

const _typeChecks = [
  true satisfies Same<z.output<typeof connectorSchema>, Connector>,
  true satisfies Same<z.output<typeof connectorStatusSchema>, ConnectorStatus>,
  true satisfies Same<z.output<typeof overviewSchema>, Overview>,
  true satisfies Same<z.output<typeof schedulerViewSchema>, Awaited<ReturnType<typeof getSchedulerView>>>,
  true satisfies Same<z.output<typeof meSchema>['can'], Permissions>,
  true satisfies Same<z.output<typeof metricsSchema>, ProcessMetrics>,
  true satisfies Same<z.output<typeof userSchema>, User>,
  true satisfies Same<z.output<typeof tokenSchema>, ApiToken>,
  true satisfies Same<z.output<typeof auditEntrySchema>, AuditEntry>,
  true satisfies Same<z.output<typeof demoPageSchema>, DemoPage>,
];
