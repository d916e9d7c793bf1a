import { describe, expect, it } from 'vitest';
import { malformedRequest } from './http-guard';

describe('malformedRequest', () => {
  it('lets well-formed requests through, escapes in the query included', () => {
    expect(malformedRequest('GET', '/api/connectors/caf%C3%A9?q=%ff')).toBeNull();
    expect(malformedRequest('OPTIONS', '/api/connectors')).toBeNull();
  });

  it('answers 405 to TRACE and methods no route serves', () => {
    for (const method of ['TRACE', 'CONNECT', 'PROPFIND', undefined]) {
      const error = malformedRequest(method, '/');
      expect(error?.status, String(method)).toBe(405);
      expect(error?.toBody().error.code).toBe('method_not_allowed');
    }
  });

  it('answers 400 naming the path to escapes that are not UTF-8, and to targets that are not a path', () => {
    for (const url of ['/api/connectors/%ff%fe', '/connectors/%ff', '/%E0%A4%A', '/api/runs/%']) {
      expect(malformedRequest('GET', url)?.toBody(), url).toMatchObject({ error: { code: 'bad_request', fields: [{ path: '(path)' }] } });
    }
    expect(malformedRequest('GET', 'http://evil.example/')?.status).toBe(400);
    expect(malformedRequest('OPTIONS', '*')?.status).toBe(400);
  });
});
