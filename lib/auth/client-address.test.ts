import { describe, expect, it } from 'vitest';
import { clientAddressOf } from './client-address';

const request = (remoteAddress: string | undefined, forwarded?: string | string[]) =>
  ({ socket: { remoteAddress }, headers: forwarded === undefined ? {} : { 'x-forwarded-for': forwarded } }) as Parameters<typeof clientAddressOf>[0];

describe('clientAddressOf', () => {
  it('is the socket address, with IPv4-mapped IPv6 written as IPv4', () => {
    expect(clientAddressOf(request('::ffff:192.0.2.7'), false)).toBe('192.0.2.7');
    expect(clientAddressOf(request('2001:db8::1'), false)).toBe('2001:db8::1');
  });

  it('ignores X-Forwarded-For unless the proxy is trusted', () => {
    expect(clientAddressOf(request('127.0.0.1', '203.0.113.9'), false)).toBe('127.0.0.1');
  });

  it('behind a trusted proxy, takes the last entry: the one the proxy added', () => {
    expect(clientAddressOf(request('127.0.0.1', '198.51.100.1, 203.0.113.9'), true)).toBe('203.0.113.9');
    expect(clientAddressOf(request('127.0.0.1', ['198.51.100.1', '203.0.113.9']), true)).toBe('203.0.113.9');
  });

  it.each([['no header', undefined], ['an empty header', ''], ['a value that is no address', 'evil, not-an-ip']])(
    'falls back to the socket address with %s',
    (_what, forwarded) => {
      expect(clientAddressOf(request('10.0.0.5', forwarded), true)).toBe('10.0.0.5');
    },
  );

  it('names an unknown socket address', () => {
    expect(clientAddressOf(request(undefined), false)).toBe('unknown');
  });
});
