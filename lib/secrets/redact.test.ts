import { describe, expect, it } from 'vitest';
import { REDACTED, Redactor, secretForms } from './redact';

describe('Redactor', () => {
  const secret = 'p@ss w0rd/with+symbols&more';
  const redactor = new Redactor([secret]);

  it('hides the plain value wherever it appears', () => {
    expect(redactor.redact(`login failed for ${secret}; retry with ${secret}`)).toBe(`login failed for ${REDACTED}; retry with ${REDACTED}`);
  });

  it('hides URL-encoded forms (path and form style) and the JSON-escaped form', () => {
    expect(redactor.redact(`GET https://x.test/?key=${encodeURIComponent(secret)}`)).not.toContain(encodeURIComponent(secret));
    expect(redactor.redact(`body: ${new URLSearchParams({ key: secret })}`)).toContain(REDACTED);
    const quoted = new Redactor(['say "hi"\\now']);
    expect(quoted.redact(JSON.stringify({ v: 'say "hi"\\now' }))).toBe(`{"v":"${REDACTED}"}`);
  });

  it('hides the base64 form, also inside a Basic authorization header at any offset', () => {
    expect(redactor.redact(Buffer.from(secret).toString('base64'))).toBe(REDACTED);
    for (const user of ['a', 'ab', 'abc', 'ops@example.com']) {
      const header = `Authorization: Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}`;
      const shown = redactor.redact(header);
      expect(shown).toContain(REDACTED);
      // What is left cannot be decoded back to the secret.
      expect(Buffer.from(shown.split(' ').pop()!, 'base64').toString()).not.toContain(secret);
    }
  });

  it('replaces a longer secret whole when it contains a shorter one', () => {
    const both = new Redactor(['abc123', 'abc123-extended']);
    expect(both.redact('x abc123-extended y abc123')).toBe(`x ${REDACTED} y ${REDACTED}`);
  });

  it('ignores values too short to redact without mangling every line, and leaves other text alone', () => {
    expect(secretForms('ab')).toEqual([]);
    expect(new Redactor(['ab']).redact('a cab ride')).toBe('a cab ride');
    expect(redactor.redact('nothing to hide')).toBe('nothing to hide');
  });

  it('takes values added later (derived credentials)', () => {
    const r = new Redactor();
    expect(r.empty).toBe(true);
    r.add('derived-token-value');
    expect(r.redact('token=derived-token-value')).toBe(`token=${REDACTED}`);
  });
});
