import { z } from 'zod';
import { scheduleSchema } from '@/lib/scheduling/schedule';
import { connectorKindNames, getConnectorKind } from './registry';

export const connectorIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, { error: 'must be 1-63 lowercase letters, digits or -, starting with a letter or digit' });

export const policiesSchema = z.strictObject({
  /** What a scheduled slot does when the previous run is still going. */
  overlap: z.enum(['skip', 'queue-one', 'cancel-running'], { error: 'must be skip, queue-one or cancel-running' }).default('skip'),
  /** Scheduled runs start no sooner than this many seconds after the previous run started. */
  minGapSeconds: z.number().int().min(0, { error: 'must be at least 0' }).max(86_400, { error: 'must be at most 86400' }).default(60),
  /** A run still going after this many seconds is stopped and marked failed (timeout). */
  timeoutSeconds: z.number().int().min(1, { error: 'must be at least 1' }).max(86_400, { error: 'must be at most 86400' }).default(3600),
});
export type Policies = z.output<typeof policiesSchema>;

const schedulesSchema = z
  .array(scheduleSchema)
  .max(20, { error: 'must have at most 20 schedules' })
  .superRefine((schedules, ctx) => {
    const seen = new Set<string>();
    schedules.forEach((s, i) => {
      if (seen.has(s.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `must be unique (${s.id} is used twice)` });
      seen.add(s.id);
    });
  });

const connectorFields = {
  name: z.string().trim().min(1, { error: 'must not be empty' }).max(100, { error: 'must be at most 100 characters' }),
  description: z.string().trim().max(500, { error: 'must be at most 500 characters' }).default(''),
  enabled: z.boolean().default(true),
  schedules: schedulesSchema.default([]),
  policies: policiesSchema.default(policiesSchema.parse({})),
};

/** Checks `config` against the kind's own schema, reporting issues under `config.*`. */
function checkKindConfig(value: { kind: string; config: unknown }, ctx: z.RefinementCtx) {
  const kind = getConnectorKind(value.kind);
  if (!kind) {
    ctx.addIssue({ code: 'custom', path: ['kind'], message: `must be one of ${connectorKindNames().join(', ')}` });
    return;
  }
  const parsed = kind.configSchema.safeParse(value.config);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', path: ['config', ...issue.path], message: issue.message });
  }
}

export const newConnectorSchema = z
  .strictObject({
    id: connectorIdSchema,
    kind: z.string().min(1, { error: 'must not be empty' }),
    config: z.record(z.string(), z.unknown()).default({}),
    ...connectorFields,
  })
  .superRefine(checkKindConfig)
  .transform((value) => ({ ...value, config: getConnectorKind(value.kind)!.configSchema.parse(value.config) as Record<string, unknown> }));
export type NewConnector = z.input<typeof newConnectorSchema>;

/** A partial update; `kind` and `id` cannot change. `config` replaces the whole config and is re-validated. */
export const connectorPatchSchema = z
  .strictObject({
    config: z.record(z.string(), z.unknown()),
    name: connectorFields.name,
    description: z.string().trim().max(500, { error: 'must be at most 500 characters' }),
    enabled: z.boolean(),
    schedules: schedulesSchema,
    policies: policiesSchema,
  })
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, { error: 'must change at least one field' });
export type ConnectorPatch = z.output<typeof connectorPatchSchema>;
