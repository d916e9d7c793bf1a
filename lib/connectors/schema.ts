import { z } from 'zod';
import { issueProblems } from '@/lib/api/errors';
import { perBounds, scheduleSchemaFor, type IntervalBounds } from '@/lib/scheduling/schedule';
import { connectorKindNames, getConnectorKind } from './registry';
import { checkSecrets, secretNameSchema } from './secrets';

export const connectorIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, { error: 'must be 1-63 lowercase letters, digits or -, starting with a letter or digit' });

const seconds = (min: number, max: number) =>
  z
    .number({ error: 'must be a number of seconds' })
    .int({ error: 'must be a whole number of seconds' })
    .min(min, { error: `must be at least ${min}` })
    .max(max, { error: `must be at most ${max}` });

const policyFields = {
  /** What a scheduled slot does while the previous run is still going: skip it, queue one run, or cancel the running one. */
  overlap: z.enum(['skip', 'queue-one', 'cancel-running'], { error: 'must be skip, queue-one or cancel-running' }),
  /**
   * A slot is skipped when the previous run started less than this many seconds before the slot's time (a slot's
   * run counts from its slot time, so slots of one schedule are never skipped by a gap up to their interval).
   */
  minGapSeconds: seconds(0, 86_400),
  /** A run still going after this many seconds is stopped and marked failed (timeout). */
  timeoutSeconds: seconds(1, 86_400),
  /** Slots missed while the server was down or the scheduler paused: one catch-up run, or none. */
  missedSlots: z.enum(['run-once', 'skip'], { error: 'must be run-once or skip' }),
  /** A missed slot older than this is not caught up, only recorded as skipped. */
  catchUpGraceSeconds: seconds(0, 7 * 86_400),
  /** Extra attempts after a transient failure (network, timeout, upstream 5xx, rate limit); 0 turns retries off. */
  retryAttempts: z.number({ error: 'must be a number' }).int({ error: 'must be a whole number' }).min(0, { error: 'must be at least 0' }).max(10, { error: 'must be at most 10' }),
  /** Delay before the first retry; each further retry doubles it, with jitter, up to retryMaxBackoffSeconds. */
  retryBackoffSeconds: seconds(1, 86_400),
  retryMaxBackoffSeconds: seconds(1, 86_400),
  /** A run interrupted because its server process died is run again once, as a new attempt of the same slot. */
  rerunInterrupted: z.boolean({ error: 'must be true or false' }),
};

export const defaultPolicies = {
  overlap: 'skip',
  minGapSeconds: 0,
  timeoutSeconds: 3600,
  missedSlots: 'run-once',
  catchUpGraceSeconds: 3600,
  retryAttempts: 0,
  retryBackoffSeconds: 30,
  retryMaxBackoffSeconds: 900,
  rerunInterrupted: true,
} as const;

const backoffInOrder = (p: { retryBackoffSeconds?: number; retryMaxBackoffSeconds?: number }) =>
  p.retryBackoffSeconds === undefined || p.retryMaxBackoffSeconds === undefined || p.retryBackoffSeconds <= p.retryMaxBackoffSeconds;
const backoffRule = { error: 'must not be smaller than retryBackoffSeconds', path: ['retryMaxBackoffSeconds'] };

/** Full policies: omitted fields take the defaults. */
export const policiesSchema = z
  .strictObject({
    overlap: policyFields.overlap.default(defaultPolicies.overlap),
    minGapSeconds: policyFields.minGapSeconds.default(defaultPolicies.minGapSeconds),
    timeoutSeconds: policyFields.timeoutSeconds.default(defaultPolicies.timeoutSeconds),
    missedSlots: policyFields.missedSlots.default(defaultPolicies.missedSlots),
    catchUpGraceSeconds: policyFields.catchUpGraceSeconds.default(defaultPolicies.catchUpGraceSeconds),
    retryAttempts: policyFields.retryAttempts.default(defaultPolicies.retryAttempts),
    retryBackoffSeconds: policyFields.retryBackoffSeconds.default(defaultPolicies.retryBackoffSeconds),
    retryMaxBackoffSeconds: policyFields.retryMaxBackoffSeconds.default(defaultPolicies.retryMaxBackoffSeconds),
    rerunInterrupted: policyFields.rerunInterrupted.default(defaultPolicies.rerunInterrupted),
  })
  .refine(backoffInOrder, backoffRule);
/** A change to some policies; the others keep their values. */
export const policiesPatchSchema = z.strictObject(policyFields).partial().refine(backoffInOrder, backoffRule);
export type Policies = z.output<typeof policiesSchema>;

const schedulesSchemaFor = (bounds: IntervalBounds) =>
  z
    .array(scheduleSchemaFor(bounds))
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
  policies: policiesSchema.default({ ...defaultPolicies }),
};

/** A secret's value as given on create or update; null removes it. The API never answers with it. */
const secretValue = z
  .string({ error: 'must be a string (or null to remove the secret)' })
  .min(1, { error: 'must not be empty (use null to remove the secret)' })
  .max(16_384, { error: 'must be at most 16384 characters' });
export const secretsInputSchema = z.record(secretNameSchema, secretValue.nullable());

/**
 * Checks `config` against the kind's own schema (issues under `config.*`), and `secrets` against the kind's
 * secrets and what the configuration needs (issues under `secrets.*`).
 */
function checkKindConfig(value: { kind: string; config: unknown; secrets: Record<string, string | null> }, ctx: z.RefinementCtx) {
  const kind = getConnectorKind(value.kind);
  if (!kind) {
    ctx.addIssue({ code: 'custom', path: ['kind'], message: `must be one of ${connectorKindNames().join(', ')}` });
    return;
  }
  const parsed = kind.configSchema.safeParse(value.config);
  if (!parsed.success) {
    for (const { path, message } of issueProblems(parsed.error)) ctx.addIssue({ code: 'custom', path: ['config', ...path], message });
  }
  const secrets = parsed.success ? value.secrets : Object.fromEntries(Object.entries(value.secrets).filter(([, v]) => v !== null));
  // Which secrets a configuration needs is only known for a valid configuration.
  const kindForCheck = parsed.success ? kind : { ...kind, requiredSecrets: undefined };
  for (const field of checkSecrets(kindForCheck, parsed.data, secrets)) {
    ctx.addIssue({ code: 'custom', path: field.path.split('.'), message: field.message });
  }
}

/**
 * The connector body schemas for the given interval bounds (the server's `config.intervalBounds`; the defaults
 * when omitted), each built once per pair of bounds.
 */
export const connectorSchemasFor = perBounds((bounds) => {
  const schedulesSchema = schedulesSchemaFor(bounds);
  const create = z
    .strictObject({
      id: connectorIdSchema,
      kind: z.string().min(1, { error: 'must not be empty' }),
      config: z.record(z.string(), z.unknown()).default({}),
      /** Secret values by name (write-only); null entries are ignored on create. */
      secrets: secretsInputSchema.default({}),
      name: connectorFields.name,
      description: connectorFields.description,
      enabled: connectorFields.enabled,
      schedules: schedulesSchema.default([]),
      policies: connectorFields.policies,
    })
    .superRefine(checkKindConfig)
    .transform((value) => ({
      ...value,
      config: getConnectorKind(value.kind)!.configSchema.parse(value.config) as Record<string, unknown>,
      secrets: Object.fromEntries(Object.entries(value.secrets).filter((entry): entry is [string, string] => entry[1] !== null)),
    }));

  /**
   * A partial update; `kind` and `id` cannot change. `config` replaces the whole config and is re-validated.
   * `secrets` changes only the secrets it names (a value sets one, null removes one). `checkpoint: null` forgets the
   * incremental state, so the next run starts from the beginning.
   */
  const patch = z
    .strictObject({
      config: z.record(z.string(), z.unknown()),
      secrets: secretsInputSchema,
      checkpoint: z.null({ error: 'can only be null (forget the checkpoint)' }),
      name: connectorFields.name,
      description: z.string().trim().max(500, { error: 'must be at most 500 characters' }),
      enabled: z.boolean(),
      schedules: schedulesSchema,
      policies: policiesPatchSchema,
    })
    .partial()
    .refine((patch) => Object.keys(patch).length > 0, { error: 'must change at least one field' });
  return { create, patch };
});

/** A new connector, with the default interval bounds (what the OpenAPI document shows). */
export const newConnectorSchema = connectorSchemasFor().create;
export type NewConnector = z.input<typeof newConnectorSchema>;

/** A change to a connector, with the default interval bounds. */
export const connectorPatchSchema = connectorSchemasFor().patch;
export type ConnectorPatch = z.output<typeof connectorPatchSchema>;
