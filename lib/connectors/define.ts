import type { z } from 'zod';
import type { RunContext } from './kind';

/**
 * The API a module connector is written against, importable from a user's module as `syncdeck/connector`:
 *
 * ```ts
 * import { defineConnector, z } from 'syncdeck/connector';
 * export default defineConnector({
 *   configSchema: z.object({ shop: z.string() }),
 *   async run(ctx) { ... },
 * });
 * ```
 *
 * This file must stay free of `@/` imports and of anything server-only: user modules load it directly.
 */
export { z } from 'zod';
export { SyncError } from './kind';
export type { ErrorKind, RunContext, CheckpointStore } from './kind';

/** What a module exports (as default export or as `connector`). */
export interface ModuleConnector<Config = Record<string, unknown>, Secrets = Record<string, string>> {
  /** Shown in logs and the dashboard. */
  title?: string;
  description?: string;
  /** Checks `config.options` of the connector (issues are reported under `config.options.*`). Default: any object. */
  configSchema?: z.ZodType<Config>;
  /** Checks the connector's secrets by name before a run. Default: any strings. */
  secretsSchema?: z.ZodType<Secrets>;
  /** Does the sync: report progress, count, log, upsert through `ctx.destination`, honour `ctx.signal`. */
  run(ctx: RunContext<Config, Secrets>): Promise<void>;
}

/** Types a module connector: config and secrets are inferred from the schemas. Returns it unchanged. */
export function defineConnector<C extends z.ZodType = z.ZodType<Record<string, unknown>>, S extends z.ZodType = z.ZodType<Record<string, string>>>(connector: {
  title?: string;
  description?: string;
  configSchema?: C;
  secretsSchema?: S;
  run(ctx: RunContext<z.output<C>, z.output<S>>): Promise<void>;
}): ModuleConnector<z.output<C>, z.output<S>> {
  return connector as ModuleConnector<z.output<C>, z.output<S>>;
}
