import { z } from 'zod';
import { peekRuntime } from '@/lib/runtime';
import { SyncError, type ConnectorKind } from '../kind';
import { secretNameSchema } from '../secrets';
import { cachedModule, loadModuleConnector, moduleFileProblem, modulePathProblem } from './module-loader';

/**
 * Runs a connector the user wrote: a TypeScript or JavaScript file in the connectors directory
 * (SYNCDECK_CONNECTORS_DIR) that exports `defineConnector({ configSchema, secretsSchema, run })` from
 * `syncdeck/connector`. `config.module` names the file; `config.options` is the module's own configuration,
 * checked by its `configSchema`. Modules are loaded when the server starts and again when their file changed.
 */

const issuePath = (path: PropertyKey[]) => path.map(String).join('.');

/** The connectors directory of the running server (undefined outside it, e.g. in the CLI). */
const connectorsDir = () => peekRuntime()?.config.connectorsDir;

export const moduleConfigSchema = z
  .strictObject({
    /** The module file, relative to the connectors directory (e.g. shop-sync.ts or acme/orders.ts). */
    module: z.string().min(1, { error: 'must not be empty' }).max(500, { error: 'must be at most 500 characters' }),
    /** The module's own configuration, checked by its configSchema. */
    options: z.record(z.string(), z.unknown()).default({}),
  })
  .superRefine((config, ctx) => {
    const pathProblem = modulePathProblem(config.module);
    if (pathProblem) {
      ctx.addIssue({ code: 'custom', path: ['module'], message: pathProblem });
      return;
    }
    const dir = connectorsDir();
    if (!dir) return;
    const fileProblem = moduleFileProblem(dir, config.module);
    if (fileProblem) {
      ctx.addIssue({ code: 'custom', path: ['module'], message: fileProblem });
      return;
    }
    // Only a module loaded from the file as it is now can check its options here; otherwise the run does.
    const loaded = cachedModule(dir, config.module);
    if (loaded?.error) ctx.addIssue({ code: 'custom', path: ['module'], message: loaded.error });
    const parsed = loaded?.connector?.configSchema?.safeParse(config.options);
    for (const issue of parsed?.success === false ? parsed.error.issues : []) {
      ctx.addIssue({ code: 'custom', path: ['options', ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))], message: issue.message });
    }
  });
export type ModuleConfig = z.output<typeof moduleConfigSchema>;

export const moduleSecretsSchema = z.record(secretNameSchema, z.string().min(1, { error: 'must not be empty' }));

export const moduleConnector: ConnectorKind<ModuleConfig> = {
  kind: 'module',
  title: 'Module',
  description: 'Runs a TypeScript or JavaScript connector of your own from the connectors directory.',
  configSchema: moduleConfigSchema,
  secretsSchema: moduleSecretsSchema,
  async run(ctx) {
    const dir = connectorsDir();
    if (!dir) throw new SyncError('config', 'module connectors run only inside the Syncdeck server (no connectors directory)');
    const connector = await loadModuleConnector(dir, ctx.config.module);
    const options = connector.configSchema ? connector.configSchema.safeParse(ctx.config.options) : { success: true as const, data: ctx.config.options };
    if (!options.success) {
      const issues = options.error.issues.map((i) => `config.options${i.path.length ? `.${issuePath(i.path)}` : ''}: ${i.message}`);
      throw new SyncError('config', `${ctx.config.module}: ${issues.join('; ')}`);
    }
    const secrets = connector.secretsSchema ? connector.secretsSchema.safeParse(ctx.secrets) : { success: true as const, data: ctx.secrets };
    if (!secrets.success) {
      // Paths name secrets; messages come from the module's schema and never carry the values.
      const issues = secrets.error.issues.map((i) => `secrets${i.path.length ? `.${issuePath(i.path)}` : ''}: ${i.code === 'invalid_type' ? 'is missing or not a string' : i.message}`);
      throw new SyncError('config', `${ctx.config.module}: ${issues.join('; ')}`);
    }
    ctx.log('debug', `running module ${ctx.config.module}${connector.title ? ` (${connector.title})` : ''}`);
    await connector.run({ ...ctx, config: options.data, secrets: secrets.data });
  },
};
