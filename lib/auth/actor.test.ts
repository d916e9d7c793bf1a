import { describe, expect, it } from 'vitest';
import { actorLabel, readSessionCookie, sessionStillValid } from './actor';

describe('readSessionCookie', () => {
  it('reads the plain next-auth session cookie', () => {
    expect(readSessionCookie('next-auth.session-token=abc.def.ghi')).toBe('abc.def.ghi');
  });

  it('reads the __Secure- cookie that next-auth sets on https', () => {
    expect(readSessionCookie('__Secure-next-auth.session-token=secure.jwt')).toBe('secure.jwt');
  });

  it('prefers the __Secure- cookie when both are present', () => {
    expect(readSessionCookie('next-auth.session-token=plain; __Secure-next-auth.session-token=secure')).toBe('secure');
  });

  it('finds the session among other cookies and spacing', () => {
    const header = 'theme=dark;   next-auth.csrf-token=zzz%7Cyyy ;next-auth.session-token=the.jwt;  other=1';
    expect(readSessionCookie(header)).toBe('the.jwt');
  });

  it('joins chunked cookies in order', () => {
    const header = 'next-auth.session-token.1=BBB; next-auth.session-token.0=AAA; next-auth.session-token.2=CCC';
    expect(readSessionCookie(header)).toBe('AAABBBCCC');
  });

  it('joins chunked __Secure- cookies', () => {
    expect(readSessionCookie('__Secure-next-auth.session-token.0=one.; __Secure-next-auth.session-token.1=two')).toBe('one.two');
  });

  it('stops at the first missing chunk', () => {
    expect(readSessionCookie('next-auth.session-token.0=AAA; next-auth.session-token.2=CCC')).toBe('AAA');
  });

  it('decodes percent-encoded values', () => {
    expect(readSessionCookie('next-auth.session-token=a%2Bb%3D')).toBe('a+b=');
  });

  it('keeps = signs inside a value', () => {
    expect(readSessionCookie('next-auth.session-token=abc==')).toBe('abc==');
  });

  it.each([
    ['no header', undefined],
    ['null', null],
    ['an empty header', ''],
    ['other cookies only', 'theme=dark; next-auth.csrf-token=x'],
    ['an empty session cookie', 'next-auth.session-token='],
    ['a cookie whose name only starts alike', 'next-auth.session-tokenX=abc'],
    ['a malformed percent escape', 'next-auth.session-token=%E0%A4%A'],
  ])('answers null for %s', (_what, header) => {
    expect(readSessionCookie(header)).toBeNull();
  });
});

describe('actorLabel', () => {
  it('names users by email and tokens by name', () => {
    expect(actorLabel({ kind: 'user', id: '1', email: 'ops@example.com', name: 'Ops', role: 'operator' })).toBe('ops@example.com');
    expect(actorLabel({ kind: 'token', id: '2', name: 'wall', role: 'display' })).toBe('token:wall');
  });
});

describe('sessionStillValid', () => {
  const changed = { sessionsValidFrom: new Date('2026-11-23T10:00:00.000Z') };
  const at = (iso: string) => ({ userId: 'u', signedInAt: Date.parse(iso) });

  it('keeps every session of a user whose password never changed', () => {
    expect(sessionStillValid(at('2026-01-01T00:00:00.000Z'), {})).toBe(true);
    expect(sessionStillValid({ userId: 'u', signedInAt: null }, {})).toBe(true);
  });

  it('ends the sessions signed in before the password changed, and those that do not say when they were', () => {
    expect(sessionStillValid(at('2026-11-23T09:59:59.999Z'), changed)).toBe(false);
    expect(sessionStillValid({ userId: 'u', signedInAt: null }, changed)).toBe(false);
    expect(sessionStillValid(at('2026-11-23T10:00:00.000Z'), changed)).toBe(true);
    expect(sessionStillValid(at('2026-11-23T10:05:00.000Z'), changed)).toBe(true);
  });
});
