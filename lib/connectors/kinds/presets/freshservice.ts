import { z } from 'zod';
import { definePreset, presetFields, transportFields } from './preset';

/**
 * Freshservice tickets (`GET /api/v2/tickets`), authenticated with an API key as the basic-auth user name (the
 * password is ignored by Freshservice; Syncdeck sends X). Pages of up to 100 follow the `Link` header.
 * Incremental on `updated_at` through `updated_since`. Without `updated_since` Freshservice lists only tickets
 * created in the last 30 days, so the first run sends `initialSince`.
 */

export const freshserviceConfigSchema = z.strictObject({
  /** The helpdesk, e.g. https://your-company.freshservice.com. */
  site: presetFields.site('https://your-company.freshservice.com'),
  /** Tickets per page (Freshservice allows up to 100). */
  perPage: presetFields.count(1, 100).default(100),
  /** `updated_since` of the first run (ISO 8601). */
  initialSince: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time such as 2020-01-01T00:00:00Z' }).default('2000-01-01T00:00:00Z'),
  collection: presetFields.collection('freshservice_tickets'),
  ...transportFields,
});
export type FreshserviceConfig = z.output<typeof freshserviceConfigSchema>;

export const freshserviceSecretsSchema = z.strictObject({ apiKey: presetFields.secret.optional() });
type FreshserviceSecrets = z.output<typeof freshserviceSecretsSchema>;

export const freshserviceConnector = definePreset<FreshserviceConfig, FreshserviceSecrets>({
  kind: 'freshservice-tickets',
  title: 'Freshservice tickets',
  description: 'Tickets from a Freshservice helpdesk, incrementally by their updated time.',
  configSchema: freshserviceConfigSchema,
  secretsSchema: freshserviceSecretsSchema,
  requiredSecrets: () => [{ name: 'apiKey', why: 'Freshservice authenticates with an API key' }],
  compile: (config) => ({
    url: `${config.site}/api/v2/tickets`,
    query: { per_page: String(config.perPage) },
    auth: { type: 'basic' },
    pagination: { type: 'link' },
    itemsPath: 'tickets',
    idField: 'id',
    incremental: { param: 'updated_since', field: 'updated_at', initial: config.initialSince },
    destination: { collection: config.collection, key: 'id' },
    timeoutSeconds: config.timeoutSeconds,
    retries: config.retries,
  }),
  secrets: (secrets) => (secrets.apiKey ? { username: secrets.apiKey, password: 'X' } : {}),
});
