import { z } from 'zod';
import { definePreset, presetFields, transportFields } from './preset';

/**
 * Snipe-IT hardware assets (`GET /api/v1/hardware`), bearer token, paged by offset and limit (Snipe-IT returns
 * at most 500 per request by default) over `{ total, rows }`, sorted by id so pages stay stable. Snipe-IT
 * throttles its API at 120 requests a minute by default; Syncdeck stays under that. `caFile` trusts a private
 * CA, e.g. of a TLS-inspecting proxy.
 */

export const snipeItConfigSchema = z.strictObject({
  /** The Snipe-IT server, e.g. https://assets.example.com (a trailing /api/v1 is accepted and dropped). */
  site: presetFields.site('https://assets.example.com').transform((url) => url.replace(/\/api\/v1$/, '')),
  /** Assets per request (Snipe-IT's default maximum is 500). */
  pageSize: presetFields.count(1, 500).default(500),
  /** Requests per minute (Snipe-IT's default throttle is 120). */
  requestsPerMinute: presetFields.count(1, 6000).default(120),
  /** A PEM file of CAs to trust instead of the system's. */
  caFile: z.string().min(1, { error: 'must be a file path' }).optional(),
  collection: presetFields.collection('snipeit_hardware'),
  ...transportFields,
});
export type SnipeItConfig = z.output<typeof snipeItConfigSchema>;

export const snipeItSecretsSchema = z.strictObject({ token: presetFields.secret.optional() });
type SnipeItSecrets = z.output<typeof snipeItSecretsSchema>;

export const snipeItConnector = definePreset<SnipeItConfig, SnipeItSecrets>({
  kind: 'snipeit-hardware',
  title: 'Snipe-IT hardware',
  description: 'Hardware assets from a Snipe-IT server (optionally behind a private CA).',
  configSchema: snipeItConfigSchema,
  secretsSchema: snipeItSecretsSchema,
  requiredSecrets: () => [{ name: 'token', why: 'Snipe-IT authenticates with an API token' }],
  compile: (config) => ({
    url: `${config.site}/api/v1/hardware`,
    query: { sort: 'id', order: 'asc' },
    auth: { type: 'bearer' },
    pagination: { type: 'offset', offsetParam: 'offset', limitParam: 'limit', limit: config.pageSize },
    itemsPath: 'rows',
    totalPath: 'total',
    idField: 'id',
    requestsPerMinute: config.requestsPerMinute,
    ...(config.caFile ? { tls: { caFile: config.caFile } } : {}),
    destination: { collection: config.collection, key: 'id' },
    timeoutSeconds: config.timeoutSeconds,
    retries: config.retries,
  }),
  secrets: (secrets) => (secrets.token ? { token: secrets.token } : {}),
});
