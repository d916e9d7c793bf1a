import { SyncError } from '../kind';

/**
 * Placeholders in http-json request values (query values, form fields, strings of a JSON body): `{{page}}` is the
 * page number of page paging, `{{since}}` the incremental value of the last successful run (formatted by
 * `incremental.format`). Values are inserted as they are, without quoting.
 */
export const PLACEHOLDERS = ['page', 'since'] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];
export type TemplateVars = Partial<Record<Placeholder, string>>;

const PATTERN = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/** The placeholder names a string uses. */
export function placeholdersIn(text: string): string[] {
  return [...text.matchAll(PATTERN)].map((m) => m[1]!);
}

/** Every string inside a JSON value (object values and array items, recursively). */
export function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(stringsIn);
  return [];
}

export function render(text: string, vars: TemplateVars): string {
  return text.replace(PATTERN, (whole, name: string) => {
    const value = vars[name as Placeholder];
    if (value === undefined) throw new SyncError('config', `placeholder ${whole} has no value in this request`);
    return value;
  });
}

export function renderRecord(values: Record<string, string>, vars: TemplateVars): Record<string, string> {
  return Object.fromEntries(Object.entries(values).map(([name, value]) => [name, render(value, vars)]));
}

/** A JSON value with placeholders filled in its strings. */
export function renderJson(value: unknown, vars: TemplateVars): unknown {
  if (typeof value === 'string') return render(value, vars);
  if (Array.isArray(value)) return value.map((item) => renderJson(item, vars));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renderJson(v, vars)]));
  return value;
}

const TOKENS = /yyyy|MM|dd|HH|mm|ss/g;

/**
 * A date-time (ISO 8601, with or without offset, as APIs send it) written with `pattern` (tokens yyyy MM dd HH mm
 * ss) in an IANA time zone, e.g. `yyyy/MM/dd HH:mm` for JQL. Throws bad-data when the value is not a date-time.
 */
export function formatDateTime(value: string | number, pattern: string, timeZone: string): string {
  const time = typeof value === 'number' ? value : Date.parse(value);
  if (!Number.isFinite(time)) throw new SyncError('bad-data', `the incremental value ${JSON.stringify(value)} is not a date-time`);
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' })
      .formatToParts(new Date(time))
      .map((p) => [p.type, p.value]),
  );
  const token: Record<string, string> = { yyyy: parts.year!, MM: parts.month!, dd: parts.day!, HH: parts.hour!, mm: parts.minute!, ss: parts.second! };
  return pattern.replace(TOKENS, (t) => token[t]!);
}

/** True for a time zone name Intl knows. */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
