import { describe, expect, it } from 'vitest';
import { fieldErrors } from '@/lib/api/http';
import { checkSecrets } from '../../secrets';
import { baselinkerConnector } from './baselinker';
import { freshserviceConnector } from './freshservice';
import { jiraConnector } from './jira';
import { smartsheetConnector } from './smartsheet';
import { snipeItConnector } from './snipe-it';

const errorsOf = (schema: { safeParse(v: unknown): { success: boolean; error?: unknown } }, value: unknown) => {
  const parsed = schema.safeParse(value);
  expect(parsed.success).toBe(false);
  return fieldErrors(parsed.error as never);
};

describe('jira-issues', () => {
  const config = jiraConnector.configSchema.parse({ site: 'https://acme.atlassian.net/', email: 'ops@acme.example', jql: 'project = OPS' });

  it('compiles to the enhanced JQL search, cursor paging and an updated bound read as JQL minutes', () => {
    const compiled = jiraConnector.compile(config);
    expect(compiled).toMatchObject({
      url: 'https://acme.atlassian.net/rest/api/3/search/jql',
      query: { jql: '(project = OPS) AND updated >= "{{since}}" ORDER BY updated ASC', fields: '*navigable,updated', maxResults: '100' },
      auth: { type: 'basic', username: 'ops@acme.example' },
      pagination: { type: 'cursor', cursorPath: 'nextPageToken', param: 'nextPageToken' },
      itemsPath: 'issues',
      incremental: { field: 'fields.updated', format: { pattern: 'yyyy/MM/dd HH:mm', timeZone: 'UTC' } },
      destination: { collection: 'jira_issues', key: 'id' },
    });
    expect(jiraConnector.compile({ ...config, incremental: false }).query.jql).toBe('(project = OPS) ORDER BY updated ASC');
  });

  it('names the field and the rule of a bad configuration', () => {
    expect(errorsOf(jiraConnector.configSchema, { ...config, jql: 'project = OPS ORDER BY created' })).toContainEqual({ path: 'jql', message: 'must not contain ORDER BY (Syncdeck orders by updated)' });
    expect(errorsOf(jiraConnector.configSchema, { ...config, timeZone: 'Mars/Olympus' }).map((f) => f.path)).toContain('timeZone');
    expect(errorsOf(jiraConnector.configSchema, { ...config, email: 'nope' }).map((f) => f.path)).toContain('email');
    expect(errorsOf(jiraConnector.configSchema, { ...config, pageSize: 500 })).toContainEqual({ path: 'pageSize', message: 'must be at most 100' });
  });

  it('needs the API token, which becomes the basic-auth password', () => {
    expect(checkSecrets(jiraConnector as never, config, {})).toEqual([{ path: 'secrets.apiToken', message: 'is required: Jira Cloud authenticates with the account email and an API token' }]);
    expect(checkSecrets(jiraConnector as never, config, { token: 'x' }).map((f) => f.path)).toContain('secrets');
  });
});

describe('freshservice-tickets', () => {
  it('compiles to /api/v2/tickets with per_page, Link paging and updated_since', () => {
    const compiled = freshserviceConnector.compile(freshserviceConnector.configSchema.parse({ site: 'https://acme.freshservice.com' }));
    expect(compiled).toMatchObject({
      url: 'https://acme.freshservice.com/api/v2/tickets',
      query: { per_page: '100' },
      auth: { type: 'basic' },
      pagination: { type: 'link' },
      itemsPath: 'tickets',
      incremental: { param: 'updated_since', field: 'updated_at', initial: '2000-01-01T00:00:00Z' },
    });
    expect(errorsOf(freshserviceConnector.configSchema, { site: 'https://acme.freshservice.com', perPage: 101 })).toContainEqual({ path: 'perPage', message: 'must be at most 100' });
    expect(errorsOf(freshserviceConnector.configSchema, { site: 'acme' }).map((f) => f.path)).toContain('site');
  });
});

describe('snipeit-hardware', () => {
  it('compiles to offset paging over rows/total with a bearer token and an optional CA bundle', () => {
    const compiled = snipeItConnector.compile(snipeItConnector.configSchema.parse({ site: 'https://assets.example.com/api/v1', caFile: '/etc/ssl/proxy.pem' }));
    expect(compiled).toMatchObject({
      url: 'https://assets.example.com/api/v1/hardware',
      auth: { type: 'bearer' },
      pagination: { type: 'offset', limit: 500 },
      itemsPath: 'rows',
      totalPath: 'total',
      requestsPerMinute: 120,
      tls: { caFile: '/etc/ssl/proxy.pem' },
    });
    expect(errorsOf(snipeItConnector.configSchema, { site: 'https://a.example.com', pageSize: 0 })).toContainEqual({ path: 'pageSize', message: 'must be at least 1' });
  });
});

describe('smartsheet-rows', () => {
  it('compiles to page paging, a cells pivot by column title and a filter on the approved column', () => {
    const compiled = smartsheetConnector.compile(smartsheetConnector.configSchema.parse({ sheetId: 4583173393803140, approved: { column: 'Job Approved' } }));
    expect(compiled).toMatchObject({
      url: 'https://api.smartsheet.com/2.0/sheets/4583173393803140',
      pagination: { type: 'page', param: 'page', sizeParam: 'pageSize', size: 1000 },
      itemsPath: 'rows',
      pivot: { cellsPath: 'cells', columnsPath: 'columns', into: 'cells', require: ['Job Approved'] },
      filter: { field: 'cells.Job Approved', in: [true, 'Approved'] },
    });
    expect(smartsheetConnector.compile(smartsheetConnector.configSchema.parse({ sheetId: '1' })).filter).toBeUndefined();
    expect(errorsOf(smartsheetConnector.configSchema, { sheetId: 'my sheet' })).toContainEqual({ path: 'sheetId', message: 'must be a numeric sheet id' });
    expect(errorsOf(smartsheetConnector.configSchema, { sheetId: '1', approved: { column: '' } }).map((f) => f.path)).toContain('approved.column');
  });
});

describe('baselinker-products', () => {
  it('compiles to a form POST with the page inside the parameters JSON, object-keyed products and the status check', () => {
    const compiled = baselinkerConnector.compile(baselinkerConnector.configSchema.parse({ inventoryId: 307 }));
    expect(compiled).toMatchObject({
      url: 'https://api.baselinker.com/connector.php',
      method: 'POST',
      form: { method: 'getInventoryProductsList', parameters: '{"inventory_id":307,"page":{{page}}}' },
      auth: { type: 'apiKey', in: 'header', name: 'X-BLToken' },
      pagination: { type: 'page', in: 'template', size: 1000 },
      itemsAre: 'object',
      answerStatus: { path: 'status', ok: 'SUCCESS' },
      requestsPerMinute: 100,
    });
    expect(errorsOf(baselinkerConnector.configSchema, { inventoryId: 307, requestsPerMinute: 150 })).toContainEqual({ path: 'requestsPerMinute', message: 'must be at most 100' });
    expect(errorsOf(baselinkerConnector.configSchema, {}).map((f) => f.path)).toContain('inventoryId');
  });
});
