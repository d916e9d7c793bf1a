import { describe, expect, it } from 'vitest';
import { expectedOrigin, judgeOrigin, type HeaderReader } from './same-origin';

const headers =
  (values: Record<string, string>): HeaderReader =>
  (name) =>
    values[name];

describe('expectedOrigin', () => {
  it('is PUBLIC_URL’s origin when set, whatever the request says', () => {
    const h = headers({ host: 'evil.example', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'http' });
    expect(expectedOrigin(h, 'https://syncdeck.example.com/base')).toBe('https://syncdeck.example.com');
  });

  it('is http://<Host> without PUBLIC_URL, and the forwarded host and protocol behind a proxy', () => {
    expect(expectedOrigin(headers({ host: '10.0.0.5:3000' }), undefined)).toBe('http://10.0.0.5:3000');
    expect(expectedOrigin(headers({ host: '127.0.0.1:3000', 'x-forwarded-host': 'sync.example.com, proxy', 'x-forwarded-proto': 'https' }), undefined)).toBe('https://sync.example.com');
  });

  it('is unknown without any host', () => {
    expect(expectedOrigin(headers({}), undefined)).toBeNull();
  });
});

describe('judgeOrigin', () => {
  const at = { host: '127.0.0.1:3000' };
  const judge = (values: Record<string, string>, publicUrl?: string) => judgeOrigin(headers({ ...at, ...values }), publicUrl);

  it('accepts Origin of the page’s own origin, default ports and case aside', () => {
    expect(judge({ origin: 'http://127.0.0.1:3000' })).toEqual({ kind: 'same' });
    expect(judgeOrigin(headers({ host: 'Sync.Example.com', origin: 'http://sync.example.com:80' }), undefined)).toEqual({ kind: 'same' });
  });

  it('refuses another host, another port on the same host, another scheme, and Origin: null', () => {
    expect(judge({ origin: 'http://evil.example' })).toMatchObject({ kind: 'cross', reason: 'Origin http://evil.example is not http://127.0.0.1:3000' });
    expect(judge({ origin: 'http://127.0.0.1:3001' }).kind).toBe('cross');
    expect(judge({ origin: 'https://127.0.0.1:3000' }).kind).toBe('cross');
    expect(judge({ origin: 'null' })).toMatchObject({ kind: 'cross', reason: 'Origin "null" is not http://127.0.0.1:3000' });
  });

  it('falls back to the Referer’s origin when there is no Origin', () => {
    expect(judge({ referer: 'http://127.0.0.1:3000/connectors/x?tab=1' })).toEqual({ kind: 'same' });
    expect(judge({ referer: 'http://evil.example/page' })).toMatchObject({ kind: 'cross', reason: 'Referer http://evil.example is not http://127.0.0.1:3000' });
  });

  it('refuses Sec-Fetch-Site other than same-origin, even with a matching Origin', () => {
    for (const site of ['cross-site', 'same-site', 'none']) {
      expect(judge({ 'sec-fetch-site': site, origin: 'http://127.0.0.1:3000' })).toEqual({ kind: 'cross', reason: `Sec-Fetch-Site is ${site}` });
    }
    expect(judge({ 'sec-fetch-site': 'same-origin' })).toEqual({ kind: 'same' });
  });

  it('checks against PUBLIC_URL when set: the Host header does not count then', () => {
    expect(judge({ origin: 'https://sync.example.com' }, 'https://sync.example.com')).toEqual({ kind: 'same' });
    expect(judge({ origin: 'http://127.0.0.1:3000' }, 'https://sync.example.com').kind).toBe('cross');
  });

  it('is unknown when nothing says where the request came from', () => {
    expect(judge({})).toEqual({ kind: 'unknown' });
  });
});
