/**
 * Why a domain operation refused: the input breaks a rule (`invalid`, with the fields at fault), the thing asked for
 * does not exist, it conflicts with the current state, or it cannot be done now. Services throw it; the request layer
 * answers it in the API's error shape (lib/api/errors.ts) and the CLI prints its message.
 */
export type DomainErrorCode = 'invalid' | 'not_found' | 'conflict' | 'unavailable';

export class DomainError extends Error {
  override name = 'DomainError';

  constructor(
    readonly code: DomainErrorCode,
    message: string,
    /** The fields at fault: dotted path and the rule each broke. */
    readonly fields?: Array<{ path: string; message: string }>,
  ) {
    super(message);
  }
}
