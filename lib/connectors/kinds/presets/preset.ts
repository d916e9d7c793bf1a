import { z } from 'zod';
import { collectionNameProblem } from '../../destination';
import { SyncError, type ConnectorKind, type RequiredSecret } from '../../kind';
import { httpJsonConfigSchema, httpJsonConnector, type HttpJsonConfig, type HttpJsonConfigInput, type HttpJsonSecrets } from '../http-json';

/**
 * A preset is a connector kind with a small, vendor-specific configuration (site, query, credentials) that
 * compiles to an http-json configuration and runs on the http-json engine. Its secrets are mapped to the ones
 * http-json expects. A configuration is checked twice on save: by the preset's own schema (errors name the
 * preset's fields) and by compiling it (so a preset can never store something the engine would refuse).
 */
export interface PresetDefinition<Config, Secrets> {
  kind: string;
  title: string;
  description: string;
  configSchema: z.ZodType<Config>;
  secretsSchema: z.ZodType<Partial<Secrets>>;
  requiredSecrets(config: Config): RequiredSecret[];
  compile(config: Config): HttpJsonConfigInput;
  secrets(secrets: Partial<Secrets>): HttpJsonSecrets;
}

export function definePreset<Config, Secrets>(definition: PresetDefinition<Config, Secrets>): ConnectorKind<Config, Secrets> & { compile(config: Config): HttpJsonConfig } {
  const compile = (config: Config): HttpJsonConfig => {
    const parsed = httpJsonConfigSchema.safeParse(definition.compile(config));
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
      throw new SyncError('config', `the ${definition.kind} configuration does not compile to a valid http-json configuration: ${issues}`);
    }
    return parsed.data;
  };
  const configSchema = definition.configSchema.superRefine((config, ctx) => {
    const parsed = httpJsonConfigSchema.safeParse(definition.compile(config));
    if (!parsed.success) {
      for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', message: `compiles to an invalid http-json ${issue.path.join('.')}: ${issue.message}` });
    }
  });
  return {
    kind: definition.kind,
    title: definition.title,
    description: definition.description,
    configSchema,
    secretsSchema: definition.secretsSchema,
    requiredSecrets: definition.requiredSecrets,
    compile,
    run(ctx) {
      return httpJsonConnector.run({ ...ctx, config: compile(ctx.config), secrets: definition.secrets(ctx.secrets) });
    },
  };
}

/** Field rules shared by the presets. */
export const presetFields = {
  /** The base URL of a vendor's site or API (http or https; no query, no fragment); a trailing / is dropped. */
  site: (example: string) =>
    z
      .url({ protocol: /^https?$/, error: `must be an absolute https:// URL such as ${example}` })
      .refine((url) => !/[?#]/.test(url), { error: 'must not have a query or fragment' })
      .transform((url) => url.replace(/\/+$/, '')),
  collection: (name: string) =>
    z
      .string()
      .superRefine((value, ctx) => {
        const problem = collectionNameProblem(value);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      })
      .default(name),
  count: (min: number, max: number) =>
    z.number({ error: 'must be a number' }).int({ error: 'must be a whole number' }).min(min, { error: `must be at least ${min}` }).max(max, { error: `must be at most ${max}` }),
  secret: z.string().min(1, { error: 'must not be empty' }),
};

/** Options every preset passes through to the engine. */
export const transportFields = {
  /** Seconds one request may take. */
  timeoutSeconds: presetFields.count(1, 600).default(30),
  /** Further attempts after a network error, timeout, 5xx or 429. */
  retries: presetFields.count(0, 10).default(3),
};
