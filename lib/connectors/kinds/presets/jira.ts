import { z } from 'zod';
import { isTimeZone } from '../http-json-template';
import { definePreset, presetFields, transportFields } from './preset';

/**
 * Jira Cloud issues through the enhanced JQL search (`GET /rest/api/3/search/jql`), paged by `nextPageToken`,
 * authenticated with an Atlassian account's email and API token (basic auth). Incremental: each run asks only
 * for issues with `updated >= "<last run's largest updated, to the minute>"`; the minute overlap re-reads a few
 * issues, which are then counted as unchanged, never duplicated.
 */

export const jiraConfigSchema = z.strictObject({
  /** The Jira Cloud site, e.g. https://your-team.atlassian.net. */
  site: presetFields.site('https://your-team.atlassian.net'),
  /** Email of the Atlassian account the API token belongs to. */
  email: z.email({ error: 'must be an email address' }),
  /** Which issues, e.g. `project = OPS`. Syncdeck adds the `updated` bound and the order itself. */
  jql: z
    .string()
    .trim()
    .min(1, { error: 'must not be empty (the search must be bounded, e.g. project = OPS)' })
    .max(10_000, { error: 'must be at most 10000 characters' })
    .refine((jql) => !/\border\s+by\b/i.test(jql), { error: 'must not contain ORDER BY (Syncdeck orders by updated)' }),
  /** Issue fields to fetch (`*navigable`, `*all` or field ids); `updated` is always added. */
  fields: z.array(z.string().regex(/^[*A-Za-z0-9_.-]+$/, { error: 'must be a field id such as summary, customfield_10010 or *navigable' })).min(1, { error: 'must list at least one field' }).default(['*navigable']),
  /** Issues per page (Jira caps pages with fields at 100). */
  pageSize: presetFields.count(1, 100).default(100),
  /** Only issues updated since the last successful run. */
  incremental: z.boolean().default(true),
  /** The time zone of the Jira user whose token is used: JQL dates are read in it. */
  timeZone: z.string().refine(isTimeZone, { error: 'must be an IANA time zone such as UTC or Europe/Berlin' }).default('UTC'),
  collection: presetFields.collection('jira_issues'),
  ...transportFields,
});
export type JiraConfig = z.output<typeof jiraConfigSchema>;

export const jiraSecretsSchema = z.strictObject({ apiToken: presetFields.secret.optional() });
type JiraSecrets = z.output<typeof jiraSecretsSchema>;

/** The JQL sent: the user's query, bounded by `{{since}}` when incremental, oldest changes first. */
export function jiraJql(config: Pick<JiraConfig, 'jql' | 'incremental'>): string {
  return config.incremental ? `(${config.jql}) AND updated >= "{{since}}" ORDER BY updated ASC` : `(${config.jql}) ORDER BY updated ASC`;
}

export const jiraConnector = definePreset<JiraConfig, JiraSecrets>({
  kind: 'jira-issues',
  title: 'Jira Cloud issues',
  description: 'Issues matching a JQL query from a Jira Cloud site, incrementally by their updated time.',
  configSchema: jiraConfigSchema,
  secretsSchema: jiraSecretsSchema,
  requiredSecrets: () => [{ name: 'apiToken', why: 'Jira Cloud authenticates with the account email and an API token' }],
  compile: (config) => {
    const fields = config.fields.includes('updated') || config.fields.includes('*all') ? config.fields : [...config.fields, 'updated'];
    return {
      url: `${config.site}/rest/api/3/search/jql`,
      query: { jql: jiraJql(config), fields: fields.join(','), maxResults: String(config.pageSize) },
      auth: { type: 'basic', username: config.email },
      pagination: { type: 'cursor', cursorPath: 'nextPageToken', param: 'nextPageToken' },
      itemsPath: 'issues',
      idField: 'id',
      ...(config.incremental
        ? { incremental: { field: 'fields.updated', initial: '1970-01-01T00:00:00Z', format: { pattern: 'yyyy/MM/dd HH:mm', timeZone: config.timeZone } } }
        : {}),
      destination: { collection: config.collection, key: 'id' },
      timeoutSeconds: config.timeoutSeconds,
      retries: config.retries,
    };
  },
  secrets: (secrets) => (secrets.apiToken ? { password: secrets.apiToken } : {}),
});
