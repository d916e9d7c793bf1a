import { describe, expect, it } from 'vitest';
import { apiErrorOf } from '@/lib/api/errors';
import { DomainError } from './errors';

describe('a domain refusal as the API answers it', () => {
  it('is a 400 naming the fields when the input is invalid', () => {
    const answer = apiErrorOf(new DomainError('invalid', 'Invalid request body: bad policy', [{ path: 'policies.overlap', message: 'is not allowed' }]));
    expect(answer.status).toBe(400);
    expect(answer.toBody()).toEqual({ error: { code: 'bad_request', message: 'Invalid request body: bad policy', fields: [{ path: 'policies.overlap', message: 'is not allowed' }] } });
  });

  it('keeps not found, conflict and unavailable as 404, 409 and 503', () => {
    expect(apiErrorOf(new DomainError('not_found', 'No connector with id x')).status).toBe(404);
    expect(apiErrorOf(new DomainError('conflict', 'Token t is already revoked')).status).toBe(409);
    expect(apiErrorOf(new DomainError('unavailable', 'Secrets cannot be stored')).status).toBe(503);
  });
});
