/**
 * How a rate-limited sign-in is told to the login form. next-auth's client `signIn` passes on only the `error`
 * parameter of the URL in the answer, so the wait rides in it: `TooManyAttempts:<seconds>`.
 */
const PREFIX = 'TooManyAttempts:';

export const rateLimitedSignInError = (retryAfterS: number) => `${PREFIX}${retryAfterS}`;

/** The seconds to wait, when a sign-in error is a rate limit; null for any other error. */
export function retryAfterOfSignInError(error: string | null | undefined): number | null {
  if (!error?.startsWith(PREFIX)) return null;
  const seconds = Number(error.slice(PREFIX.length));
  return Number.isInteger(seconds) && seconds > 0 ? seconds : null;
}

/** The message the login page shows for a rate-limited sign-in: the wait in seconds, or minutes from 2 minutes on. */
export const tooManyAttemptsMessage = (retryAfterS: number) =>
  `Too many sign-in attempts; try again in ${retryAfterS < 120 ? `${retryAfterS} s` : `${Math.ceil(retryAfterS / 60)} min`}.`;

/** The error of a sign-in refused because too many password checks were waiting (503). */
export const SERVER_BUSY_ERROR = 'ServerBusy';
export const SERVER_BUSY_MESSAGE = 'The server is busy checking passwords; try again in a few seconds.';
