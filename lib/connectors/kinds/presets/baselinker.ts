import { z } from 'zod';
import { definePreset, presetFields, transportFields } from './preset';

/**
 * Products of a BaseLinker inventory (catalog) through `getInventoryProductsList`: POST to connector.php with
 * the token in `X-BLToken` and form fields `method` and `parameters` (JSON with `inventory_id` and `page`);
 * 1000 products per page, keyed by product id. BaseLinker answers 200 with `status: "ERROR"` on failure and
 * blocks a token that makes more than 100 requests a minute (ERROR_BLOCKED_TOKEN), so Syncdeck paces itself;
 * lower `requestsPerMinute` when other tools share the token.
 */

export const baselinkerConfigSchema = z.strictObject({
  /** The catalog (getInventories lists them). */
  inventoryId: presetFields.count(1, Number.MAX_SAFE_INTEGER),
  /** The API endpoint. */
  apiUrl: presetFields.site('https://api.baselinker.com/connector.php').default('https://api.baselinker.com/connector.php'),
  /** Requests per minute; BaseLinker allows 100 per token in total. */
  requestsPerMinute: presetFields.count(1, 100).default(100),
  collection: presetFields.collection('baselinker_products'),
  ...transportFields,
});
export type BaselinkerConfig = z.output<typeof baselinkerConfigSchema>;

export const baselinkerSecretsSchema = z.strictObject({ token: presetFields.secret.optional() });
type BaselinkerSecrets = z.output<typeof baselinkerSecretsSchema>;

/** Products per page of getInventoryProductsList. */
export const BASELINKER_PAGE_SIZE = 1000;

export const baselinkerConnector = definePreset<BaselinkerConfig, BaselinkerSecrets>({
  kind: 'baselinker-products',
  title: 'BaseLinker inventory products',
  description: 'Products of a BaseLinker inventory (catalog), 1000 per request within the API rate limit.',
  configSchema: baselinkerConfigSchema,
  secretsSchema: baselinkerSecretsSchema,
  requiredSecrets: () => [{ name: 'token', why: 'BaseLinker authenticates with an API token (X-BLToken)' }],
  compile: (config) => ({
    url: config.apiUrl,
    method: 'POST',
    form: { method: 'getInventoryProductsList', parameters: `{"inventory_id":${config.inventoryId},"page":{{page}}}` },
    auth: { type: 'apiKey', in: 'header', name: 'X-BLToken' },
    pagination: { type: 'page', in: 'template', start: 1, size: BASELINKER_PAGE_SIZE },
    itemsPath: 'products',
    itemsAre: 'object',
    idField: 'id',
    answerStatus: { path: 'status', ok: 'SUCCESS', messagePath: 'error_message', codePath: 'error_code', authCodes: ['ERROR_BAD_TOKEN'], rateLimitCodes: ['ERROR_BLOCKED_TOKEN'] },
    requestsPerMinute: config.requestsPerMinute,
    destination: { collection: config.collection, key: 'id' },
    timeoutSeconds: config.timeoutSeconds,
    retries: config.retries,
  }),
  secrets: (secrets) => (secrets.token ? { apiKey: secrets.token } : {}),
});
