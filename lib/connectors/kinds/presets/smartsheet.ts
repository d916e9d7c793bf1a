import { z } from 'zod';
import { fieldNameOf } from '../http-json-records';
import { definePreset, presetFields, transportFields } from './preset';

/**
 * Rows of one Smartsheet sheet (`GET /2.0/sheets/{sheetId}`, paged by page and pageSize), bearer token. Each row
 * is stored with `cells` as an object keyed by column title (from the sheet's `columns`), e.g.
 * `cells: { "Job Name": "…", "Approved": true }`. With `approved`, only rows whose column of that title holds
 * one of `values` (a checked checkbox is true) are written; the others are counted as skipped.
 */

const scalar = z.union([z.string(), z.number(), z.boolean()], { error: 'must be a string, number or boolean' });

export const smartsheetConfigSchema = z.strictObject({
  /** The sheet's id (Sheet properties in Smartsheet, or the API). */
  sheetId: z.union([z.string(), z.number()]).transform(String).pipe(z.string().regex(/^\d{1,20}$/, { error: 'must be a numeric sheet id' })),
  /** The API host: https://api.smartsheet.com, or https://api.smartsheet.eu for EU accounts. */
  apiUrl: presetFields.site('https://api.smartsheet.com').default('https://api.smartsheet.com'),
  /** Keep only approved rows: the column with this title must hold one of `values`. */
  approved: z
    .strictObject({
      column: z.string().trim().min(1, { error: 'must be a column title' }),
      values: z.array(scalar).min(1, { error: 'must list at least one value' }).default([true, 'Approved']),
    })
    .optional(),
  /** Rows per request. */
  pageSize: presetFields.count(1, 10_000).default(1000),
  collection: presetFields.collection('smartsheet_rows'),
  ...transportFields,
});
export type SmartsheetConfig = z.output<typeof smartsheetConfigSchema>;

export const smartsheetSecretsSchema = z.strictObject({ token: presetFields.secret.optional() });
type SmartsheetSecrets = z.output<typeof smartsheetSecretsSchema>;

export const smartsheetConnector = definePreset<SmartsheetConfig, SmartsheetSecrets>({
  kind: 'smartsheet-rows',
  title: 'Smartsheet rows',
  description: 'Rows of a Smartsheet sheet with cells by column title, optionally only approved ones.',
  configSchema: smartsheetConfigSchema,
  secretsSchema: smartsheetSecretsSchema,
  requiredSecrets: () => [{ name: 'token', why: 'Smartsheet authenticates with an API access token' }],
  compile: (config) => ({
    url: `${config.apiUrl}/2.0/sheets/${config.sheetId}`,
    auth: { type: 'bearer' },
    pagination: { type: 'page', param: 'page', sizeParam: 'pageSize', size: config.pageSize },
    itemsPath: 'rows',
    totalPath: 'totalRowCount',
    idField: 'id',
    pivot: {
      cellsPath: 'cells',
      keyField: 'columnId',
      valueField: 'value',
      columnsPath: 'columns',
      columnKey: 'id',
      columnName: 'title',
      into: 'cells',
      require: config.approved ? [config.approved.column] : [],
    },
    ...(config.approved ? { filter: { field: `cells.${fieldNameOf(config.approved.column)}`, in: config.approved.values } } : {}),
    // Smartsheet allows 300 requests a minute per token.
    requestsPerMinute: 300,
    destination: { collection: config.collection, key: 'id' },
    timeoutSeconds: config.timeoutSeconds,
    retries: config.retries,
  }),
  secrets: (secrets) => (secrets.token ? { token: secrets.token } : {}),
});
