import { SyncError } from '../kind';
import { getPath } from '../paths';

type Scalar = string | number | boolean | null;

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);
const describe = (value: unknown) => (value === undefined ? 'nothing' : value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value);

/** The items of one answer: the array at `itemsPath`, or with `itemsAre: object` the values of the object there. */
export function itemsOf(data: unknown, itemsPath: string, what: string, itemsAre: 'array' | 'object' = 'array'): unknown[] {
  const items = getPath(data, itemsPath);
  const where = itemsPath ? `"${itemsPath}"` : 'the top of the answer';
  if (itemsAre === 'object') {
    if (isObject(items)) return Object.values(items);
    // PHP-style APIs send an empty object as [] (e.g. a page past the end).
    if (Array.isArray(items) && items.length === 0) return [];
    throw new SyncError('bad-data', `${what}: expected an object of records keyed by id at ${where}, found ${describe(items)}`);
  }
  if (!Array.isArray(items)) throw new SyncError('bad-data', `${what}: expected an array of records at ${where}, found ${describe(items)}`);
  return items;
}

/** The records of one answer: the objects among its items, and how many items were not objects. */
export function recordsOf(data: unknown, itemsPath: string, what: string, itemsAre: 'array' | 'object' = 'array'): { records: Record<string, unknown>[]; invalid: number } {
  const items = itemsOf(data, itemsPath, what, itemsAre);
  const records = items.filter((item): item is Record<string, unknown> => item !== null && typeof item === 'object' && !Array.isArray(item));
  return { records, invalid: items.length - records.length };
}

export function matchesFilter(record: Record<string, unknown>, filter: { field: string; equals?: Scalar; in?: Scalar[] }): boolean {
  const value = getPath(record, filter.field);
  const candidates = filter.in ?? [filter.equals as Scalar];
  return candidates.some((candidate) => candidate === value || (value !== undefined && value !== null && candidate !== null && String(candidate) === String(value)));
}

/** Sortable view of an incremental field: numbers as numbers, date-times by time, anything else as text. */
function rank(value: string | number): number | string {
  if (typeof value === 'number') return value;
  if (/^\d{4}-\d{2}-\d{2}/.test(value)) {
    const time = Date.parse(value);
    if (!Number.isNaN(time)) return time;
  }
  return value;
}

/** The larger of `current` and the record's value of `field` (strings or numbers; other values are ignored). */
export function compareCursor(record: Record<string, unknown>, field: string, current: string | number | undefined): string | number | undefined {
  const value = getPath(record, field);
  if (typeof value !== 'string' && typeof value !== 'number') return current;
  if (current === undefined) return value;
  const a = rank(value);
  const b = rank(current);
  if (typeof a === typeof b) return a > b ? value : current;
  return String(value) > String(current) ? value : current;
}

/** How an answer with a status field reports failure; see `answerStatus` of http-json. */
export interface AnswerStatus {
  path: string;
  ok: Scalar;
  messagePath?: string;
  codePath?: string;
  authCodes: string[];
  rateLimitCodes: string[];
}

/** The failure an answer reports in its status field, or undefined when it says ok. */
export function answerProblem(data: unknown, status: AnswerStatus, what: string): SyncError | undefined {
  const value = getPath(data, status.path);
  if (value === status.ok || (value !== undefined && value !== null && String(value) === String(status.ok))) return undefined;
  const code = status.codePath ? getPath(data, status.codePath) : undefined;
  const message = status.messagePath ? getPath(data, status.messagePath) : undefined;
  const codeText = typeof code === 'string' || typeof code === 'number' ? String(code) : undefined;
  const kind = codeText && status.authCodes.includes(codeText) ? 'auth' : codeText && status.rateLimitCodes.includes(codeText) ? 'rate-limited' : 'upstream';
  const detail = [codeText, typeof message === 'string' ? message.slice(0, 300) : undefined].filter(Boolean).join(': ');
  return new SyncError(kind, `${what} answered ${status.path}=${JSON.stringify(value) ?? 'nothing'}${detail ? ` (${detail})` : ''}`);
}

/** How a record's cells become an object keyed by column name; see `pivot` of http-json. */
export interface Pivot {
  cellsPath: string;
  keyField: string;
  valueField: string;
  columnsPath: string;
  columnKey: string;
  columnName: string;
  into: string;
  require: string[];
}

/** A column name usable as a MongoDB field name: dots and a leading $ become _. */
export const fieldNameOf = (name: string) => name.replace(/\./g, '_').replace(/^\$/, '_');

function setPath(record: Record<string, unknown>, path: string, value: unknown) {
  const parts = path.split('.');
  let current = record;
  for (const part of parts.slice(0, -1)) {
    if (!isObject(current[part])) current[part] = {};
    current = current[part] as Record<string, unknown>;
  }
  current[parts.at(-1)!] = value;
}

/**
 * Replaces (or adds) `pivot.into` on each record with its cells keyed by column name, names taken from the
 * answer's column list. Cells of unknown columns keep their key as name. Fails (config) when a required column
 * is missing, naming the columns there are.
 */
export function pivotCells(data: unknown, records: Record<string, unknown>[], pivot: Pivot, what: string): void {
  const columns = getPath(data, pivot.columnsPath);
  if (!Array.isArray(columns)) throw new SyncError('bad-data', `${what}: expected the column list at "${pivot.columnsPath}", found ${describe(columns)}`);
  const names = new Map<string, string>();
  for (const column of columns) {
    const key = getPath(column, pivot.columnKey);
    const name = getPath(column, pivot.columnName);
    if ((typeof key === 'string' || typeof key === 'number') && typeof name === 'string') names.set(String(key), fieldNameOf(name));
  }
  const known = new Set(names.values());
  const missing = pivot.require.map(fieldNameOf).filter((name) => !known.has(name));
  if (missing.length) {
    throw new SyncError('config', `${what}: no column named ${missing.map((m) => `"${m}"`).join(', ')}; columns are ${[...known].map((n) => `"${n}"`).join(', ') || 'none'}`);
  }
  for (const record of records) {
    const cells = getPath(record, pivot.cellsPath);
    const byName: Record<string, unknown> = {};
    for (const cell of Array.isArray(cells) ? cells : []) {
      const key = getPath(cell, pivot.keyField);
      if (typeof key !== 'string' && typeof key !== 'number') continue;
      const value = getPath(cell, pivot.valueField);
      byName[names.get(String(key)) ?? String(key)] = value === undefined ? null : value;
    }
    setPath(record, pivot.into, byName);
  }
}
