/**
 * Removes secret values from text before it is stored or sent: log lines, error messages, command output.
 * Besides the plain value it finds the forms a value takes on its way through HTTP and scripts: URL-encoded
 * (path and form style), JSON-escaped, and base64 — also inside a longer base64 string such as a Basic
 * `Authorization` header, where the value's encoding depends on its offset (three alignments are covered).
 */

export const REDACTED = '[redacted]';

/** Values shorter than this are not searched for: they would mangle every line and protect nothing. */
export const MIN_SECRET_LENGTH = 3;
/** A base64 fragment of a value found inside a longer base64 string must be at least this long to be searched. */
const MIN_FRAGMENT = 8;

/** The stable base64 fragments of `value` when it starts at byte offset 0, 1 or 2 of an encoded string. */
function base64Fragments(value: Buffer): string[] {
  const fragments: string[] = [];
  for (let offset = 0; offset < 3; offset++) {
    const encoded = Buffer.concat([Buffer.alloc(offset), value]).toString('base64');
    // Characters touched by the leading pad bytes, and by whatever follows the value, are not stable.
    const start = Math.ceil((offset * 4) / 3);
    const stableBytes = offset + value.length - ((offset + value.length) % 3);
    const end = (stableBytes / 3) * 4;
    const fragment = encoded.slice(start, end);
    if (fragment.length >= MIN_FRAGMENT) fragments.push(fragment, fragment.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return fragments;
}

/** Every form of one secret value worth searching for. */
export function secretForms(value: string): string[] {
  if (value.length < MIN_SECRET_LENGTH) return [];
  const bytes = Buffer.from(value, 'utf8');
  const forms = new Set<string>([
    value,
    encodeURIComponent(value),
    encodeURI(value),
    new URLSearchParams({ v: value }).toString().slice(2),
    JSON.stringify(value).slice(1, -1),
    bytes.toString('base64'),
    bytes.toString('base64url'),
    ...base64Fragments(bytes),
  ]);
  return [...forms].filter((form) => form.length >= MIN_SECRET_LENGTH);
}

export class Redactor {
  #forms: string[] = [];

  constructor(values: Iterable<string> = []) {
    for (const value of values) this.add(value);
  }

  /** Adds a value to hide from now on (e.g. a credential derived from secrets). */
  add(value: string): void {
    const forms = new Set([...this.#forms, ...secretForms(value)]);
    // Longest first, so a value that contains another is replaced whole.
    this.#forms = [...forms].sort((a, b) => b.length - a.length);
  }

  get empty(): boolean {
    return this.#forms.length === 0;
  }

  redact(text: string): string {
    let out = text;
    for (const form of this.#forms) if (out.includes(form)) out = out.split(form).join(REDACTED);
    return out;
  }
}
