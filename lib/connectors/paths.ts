/**
 * Dot paths into JSON values (`data.items`, `fields.status.name`, `items.0.id`), as configured by users.
 * An empty path is the value itself.
 */
export function getPath(value: unknown, path: string): unknown {
  if (path === '') return value;
  let current = value;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

/** The rule a configured dot path must follow. */
export const DOT_PATH = /^[^.\s]+(\.[^.\s]+)*$/;
