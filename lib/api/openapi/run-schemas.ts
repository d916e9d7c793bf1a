import { z } from 'zod';
import type { Activity } from '@/lib/runs/activity';
import type { ConnectorStats } from '@/lib/runs/stats';
import type { Run } from '@/lib/runs/store';
import type { OverviewStats } from '@/lib/overview-stats';
import type { Same } from './same';

/**
 * What the API answers about runs, as zod schemas: the OpenAPI document is generated from them, and the integration
 * test parses real answers with them. The TypeScript types the handlers return stay where they are; the `Same`
 * checks below fail to compile when a type and its schema part ways.
 */

export const isoTime = z.iso.datetime({ offset: true });
export const runStatusSchema = z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled', 'skipped', 'interrupted']).meta({ id: 'RunStatus' });
export const runTriggerSchema = z.enum(['scheduled', 'manual', 'retry', 'catch-up']).meta({ id: 'RunTrigger' });

const count = z.number().int().min(0);
export const runCountsSchema = z
  .strictObject({ fetched: count, created: count, updated: count, unchanged: count, skipped: count, failed: count })
  .meta({ id: 'RunCounts', description: "One run's record counts; never accumulated across runs" });
export const runErrorSchema = z
  .object({
    kind: z.string().meta({ description: 'auth, rate-limited, network, timeout, upstream, bad-data, cancelled, internal' }),
    message: z.string(),
  })
  .meta({ id: 'RunError' });

const millis = z.number().min(0);
const percentileMs = millis.nullable();

export const runSchema = z
  .strictObject({
    id: z.string().meta({ description: 'Scheduled runs: `<connector>:<schedule>:<slot ISO>`; others `<connector>:<kind>:<id>`' }),
    connectorId: z.string(),
    scheduleId: z.string().optional(),
    slot: isoTime.optional(),
    trigger: runTriggerSchema,
    initiatedBy: z.string().meta({ description: 'User email, `token:<name>` or `scheduler`' }),
    status: runStatusSchema,
    queuedAt: isoTime,
    startedAt: isoTime.optional(),
    finishedAt: isoTime.optional(),
    durationMs: millis.optional(),
    counts: runCountsSchema,
    progress: z.strictObject({ done: z.number(), total: z.number().optional(), phase: z.string().optional() }).optional(),
    error: runErrorSchema.optional(),
    reason: z.string().optional().meta({ description: 'Why the run was skipped or superseded' }),
    cancelledBy: z.string().optional(),
    attempt: z.number().int().min(1).optional(),
    firstRunId: z.string().optional(),
    rerunOf: z.string().optional(),
    notBefore: isoTime.optional(),
    waitingFor: z.string().optional(),
    instanceId: z.string().optional(),
    log: z
      .array(z.strictObject({ at: isoTime, level: z.enum(['debug', 'info', 'warn', 'error']), message: z.string() }))
      .optional()
      .meta({ description: 'The last lines of the log; only in the answers about one run' }),
  })
  .meta({ id: 'Run' });

export const runsPageSchema = z
  .strictObject({ runs: z.array(runSchema), next: z.string().nullable().meta({ description: 'Pass as `before` for the following page' }) })
  .meta({ id: 'RunsPage' });

/** A run that was started (or found running): where to follow it. */
export const runRefSchema = z.strictObject({ runId: z.string() }).meta({ id: 'RunRef' });

const byStatus = z.partialRecord(runStatusSchema, count);

export const connectorStatsSchema = z
  .strictObject({
    connectorId: z.string(),
    days: z.number().int(),
    from: isoTime,
    to: isoTime,
    runsConsidered: count,
    truncated: z.boolean(),
    byStatus,
    successRate: z.number().min(0).max(1).nullable(),
    durations: z.strictObject({ p50Ms: percentileMs, p95Ms: percentileMs, maxMs: percentileMs }),
    streaks: z.strictObject({ current: count, longest: count }),
    daily: z.array(
      z.strictObject({
        day: z.string(),
        runs: count,
        byStatus,
        p50Ms: percentileMs,
        p95Ms: percentileMs,
        records: z.strictObject({ created: count, updated: count, unchanged: count, failed: count }),
      }),
    ),
    runs: z.array(
      z.strictObject({ id: z.string(), at: isoTime, status: runStatusSchema, durationMs: millis.nullable(), counts: runCountsSchema, failureStreak: count }),
    ),
  })
  .meta({ id: 'ConnectorStats' });

const hourOutcomes = z.strictObject({ hour: isoTime, succeeded: count, failed: count, other: count });

export const activitySchema = z
  .strictObject({
    hours: z.number().int(),
    from: isoTime,
    to: isoTime,
    runsConsidered: count,
    truncated: z.boolean(),
    hourly: z.array(hourOutcomes),
    byConnector: z.array(z.strictObject({ connectorId: z.string(), runs: count, failed: count, p50Ms: percentileMs, p95Ms: percentileMs })),
  })
  .meta({ id: 'Activity' });

export const overviewStatsSchema = z
  .strictObject({
    window: z.strictObject({ days: z.number().int(), from: isoTime, to: isoTime }),
    runsConsidered: count,
    truncated: z.boolean(),
    connectors: z.array(
      z.strictObject({
        connectorId: z.string(),
        decided: count,
        succeeded: count,
        successRate: z.number().min(0).max(1).nullable(),
        p50Ms: percentileMs,
        p95Ms: percentileMs,
        recent: z.array(z.strictObject({ at: isoTime, status: runStatusSchema, durationMs: millis })),
      }),
    ),
    hourly: z.array(hourOutcomes),
  })
  .meta({ id: 'OverviewStats' });

const _typeChecks = [
  true satisfies Same<z.output<typeof runSchema>, Run>,
  true satisfies Same<z.output<typeof connectorStatsSchema>, ConnectorStats>,
  true satisfies Same<z.output<typeof activitySchema>, Activity>,
  true satisfies Same<z.output<typeof overviewStatsSchema>, OverviewStats>,
];
