import { describe, expect, it } from 'vitest';
import { rateLimitedSignInError, retryAfterOfSignInError, tooManyAttemptsMessage } from './sign-in-refusal';

describe('rate-limited sign-in error', () => {
  it('carries the seconds to wait to the login form', () => {
    expect(retryAfterOfSignInError(rateLimitedSignInError(42))).toBe(42);
    expect(tooManyAttemptsMessage(42)).toBe('Too many sign-in attempts; try again in 42 s.');
    expect(tooManyAttemptsMessage(119)).toBe('Too many sign-in attempts; try again in 119 s.');
    expect(tooManyAttemptsMessage(897)).toBe('Too many sign-in attempts; try again in 15 min.');
  });

  it.each([['CredentialsSignin'], [null], [undefined], ['TooManyAttempts:'], ['TooManyAttempts:-3'], ['TooManyAttempts:1.5']])('is not read from %s', (error) => {
    expect(retryAfterOfSignInError(error)).toBeNull();
  });
});
