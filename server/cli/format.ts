import type { z } from 'zod';
import type { ApiToken } from '@/lib/auth/tokens';
import type { User } from '@/lib/users/users';
import { CliError, EXIT } from './io';

/** Replaces control characters (terminal escapes included) so stored text cannot rewrite the operator's terminal. */
export function clean(text: string): string {
  return text.replace(/\p{Cc}/gu, '?');
}

/** `2025-11-23T11:31:07.123Z` -> `2025-11-23 11:31 UTC`; `fallback` when there is no date. */
export function formatDate(iso: string | undefined, fallback = 'never'): string {
  return iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : fallback;
}

/** Left-aligned columns separated by two spaces, with an upper-case header row. */
export function formatTable(headers: string[], rows: string[][]): string {
  const cells = [headers.map((h) => h.toUpperCase()), ...rows.map((row) => row.map(clean))];
  const widths = headers.map((_, i) => Math.max(...cells.map((row) => row[i]?.length ?? 0)));
  return cells.map((row) => row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n') + '\n';
}

export function formatUsers(users: User[]): string {
  if (users.length === 0) return 'No users. Create one with: npx syncdeck users create --email <email> --role <role>\n';
  return formatTable(
    ['email', 'name', 'role', 'status', 'created', 'last login'],
    users.map((u) => [u.email, u.name, u.role, u.disabled ? 'disabled' : 'enabled', formatDate(u.createdAt), formatDate(u.lastLoginAt)]),
  );
}

export function formatTokens(tokens: ApiToken[]): string {
  if (tokens.length === 0) return 'No API tokens. Create one with: npx syncdeck tokens create --name <name> --role <role>\n';
  return formatTable(
    ['id', 'name', 'role', 'hint', 'created', 'last used', 'revoked'],
    tokens.map((t) => [t.id, t.name, t.role, `${t.hint}…`, formatDate(t.createdAt), formatDate(t.lastUsedAt), formatDate(t.revokedAt, 'no')]),
  );
}

/** Pretty JSON with a trailing newline, for `--json`. */
export function formatJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/**
 * One `field: rule` line per problem. A field the operator did not give at all reads `is required`, whatever
 * rule the schema words for it.
 */
export function formatIssues(issues: readonly z.core.$ZodIssue[], given: Record<string, unknown>): string[] {
  return issues.map((issue) => {
    const field = issue.path.map(String).join('.') || 'input';
    const missing = issue.path.length === 1 && given[String(issue.path[0])] === undefined;
    return `${field}: ${missing ? 'is required' : issue.message}`;
  });
}

/** Validates command options with a schema, or throws a usage error listing every field and its rule. */
export function parseOptions<S extends z.ZodType>(schema: S, given: Record<string, unknown>): z.output<S> {
  const result = schema.safeParse(given);
  if (result.success) return result.data;
  throw new CliError(`Invalid input, nothing was changed:\n${formatIssues(result.error.issues, given).map((l) => `  ${l}`).join('\n')}`, EXIT.usage);
}
