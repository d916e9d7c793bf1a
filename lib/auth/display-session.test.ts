import { describe, expect, it } from 'vitest';
import { displayCookieHeader, signDisplayCookie, verifyDisplayCookie } from './display-session';

const SECRET = 'a-test-secret-that-is-long-enough-0001';
const ID = '65f0c0ffee0000000000abcd';

describe('display cookie', () => {
  it('carries the token id and verifies under the same secret', () => {
    const value = signDisplayCookie(ID, SECRET);
    expect(value.startsWith(`${ID}.`)).toBe(true);
    expect(verifyDisplayCookie(value, SECRET)).toBe(ID);
  });

  it('is refused under another secret, with another id, or tampered', () => {
    const value = signDisplayCookie(ID, SECRET);
    expect(verifyDisplayCookie(value, `${SECRET}-other`)).toBeNull();
    expect(verifyDisplayCookie(value.replace(ID, '65f0c0ffee0000000000abce'), SECRET)).toBeNull();
    expect(verifyDisplayCookie(`${value.slice(0, -1)}${value.endsWith('A') ? 'B' : 'A'}`, SECRET)).toBeNull();
    expect(verifyDisplayCookie(ID, SECRET)).toBeNull();
    expect(verifyDisplayCookie(`not-an-id.${value.split('.')[1]}`, SECRET)).toBeNull();
  });

  it('is httpOnly and SameSite=Lax, Secure only on https', () => {
    const plain = displayCookieHeader('v', { secure: false });
    expect(plain).toMatch(/^syncdeck\.display=v; Path=\/; Max-Age=\d+; HttpOnly; SameSite=Lax$/);
    expect(displayCookieHeader('v', { secure: true })).toMatch(/; Secure$/);
  });
});
