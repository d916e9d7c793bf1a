import type { FieldProblem } from '@/components/api/fetch-json';

/**
 * Sorts a 400 answer's field errors under `prefix` (e.g. `schedules`) by what follows it: `schedules.0.cron` goes
 * to key `0.cron`. Errors elsewhere are returned apart, to be shown with the form as a whole.
 */
export function fieldErrorsUnder(fields: FieldProblem[], prefix: string): { byPath: Record<string, string>; rest: FieldProblem[] } {
  const byPath: Record<string, string> = {};
  const rest: FieldProblem[] = [];
  for (const field of fields) {
    if (field.path === prefix || field.path.startsWith(`${prefix}.`)) {
      const key = field.path.slice(prefix.length + 1);
      byPath[key] = byPath[key] ? `${byPath[key]}; ${field.message}` : field.message;
    } else rest.push(field);
  }
  return { byPath, rest };
}

/** The errors of one list item (`0.cron` → `cron` for index 0); the item's own error is under "". */
export function itemErrors(byPath: Record<string, string>, index: number): Record<string, string> {
  const mine: Record<string, string> = {};
  for (const [path, message] of Object.entries(byPath)) {
    if (path === String(index)) mine[''] = message;
    else if (path.startsWith(`${index}.`)) mine[path.slice(String(index).length + 1)] = message;
  }
  return mine;
}
