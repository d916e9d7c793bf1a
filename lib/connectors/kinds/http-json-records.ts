import { SyncError } from '../kind';
import { getPath } from '../paths';

type Scalar = string | number | boolean | null;

/** The records of one answer: the objects of the array at `itemsPath`, and how many items were not objects. */
export function recordsOf(data: unknown, itemsPath: string, what: string): { records: Record<string, unknown>[]; invalid: number } {
  const items = getPath(data, itemsPath);
  if (!Array.isArray(items)) {
    const found = items === undefined ? 'nothing' : items === null ? 'null' : typeof items;
    throw new SyncError('bad-data', `${what}: expected an array of records at ${itemsPath ? `"${itemsPath}"` : 'the top of the answer'}, found ${found}`);
  }
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
