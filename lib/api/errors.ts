import { z } from 'zod';
import type { DomainError } from '@/lib/domain/errors';

/**
 * The problems of a failed parse, one per field: an unknown key is reported at its own path (`schedules.0.every`),
 * one problem per key, so the caller sees exactly which field to remove.
 */
export function issueProblems(error: z.ZodError): Array<{ path: PropertyKey[]; message: string }> {
  return error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ path: [...issue.path, key], message: 'is not a known field' }))
      : [{ path: issue.path, message: issue.message }],
  );
}

/** Error codes the API answers with; one body shape everywhere: `{ error: { code, message, fields? } }`. */
const statusOf = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  /** A state change with a browser credential that did not come from Syncdeck's own origin (lib/api/same-origin.ts). */
  cross_origin: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  /** A state-changing request whose body is not `application/json`. */
  unsupported_media_type: 415,
  /** Too many attempts (sign-in limits); the answer has Retry-After. */
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
} as const;

export type ErrorCode = keyof typeof statusOf;

/** Every error code, for the OpenAPI document. */
export const ERROR_CODES = Object.keys(statusOf) as ErrorCode[];

/** One invalid field: its dotted path and the rule it broke. */
const fieldErrorSchema = z.strictObject({ path: z.string(), message: z.string() });
export type FieldError = z.output<typeof fieldErrorSchema>;

/** The one error body of every route, as the OpenAPI document describes it. */
export const errorBodySchema = z
  .strictObject({
    error: z.strictObject({
      code: z.enum(ERROR_CODES),
      message: z.string().meta({ description: 'Safe to show; names the field and the rule for bad input' }),
      fields: z.array(fieldErrorSchema).optional().meta({ description: 'One entry per invalid field, by dotted path' }),
    }),
  })
  .meta({ id: 'Error' });
export type ErrorBody = z.output<typeof errorBodySchema>;

/** An error meant for the client: its message is safe to show. */
export class ApiError extends Error {
  override name = 'ApiError';
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields?: FieldError[],
  ) {
    super(message);
    this.status = statusOf[code];
  }

  toBody(): ErrorBody {
    return { error: { code: this.code, message: this.message, ...(this.fields ? { fields: this.fields } : {}) } };
  }
}

/** A domain refusal as the API answers it: invalid input is a 400, the other codes keep their names. */
export const apiErrorOf = (error: DomainError): ApiError => new ApiError(error.code === 'invalid' ? 'bad_request' : error.code, error.message, error.fields);
