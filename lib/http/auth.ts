/** Credentials an HTTP client sends; the values come from the connector's secrets. */
export type HttpAuth =
  | { type: 'none' }
  | { type: 'bearer'; token: string }
  | { type: 'basic'; username: string; password: string }
  | { type: 'apiKey'; in: 'header'; name: string; value: string }
  | { type: 'apiKey'; in: 'query'; name: string; value: string };

/** Headers that carry the credentials. */
export function authHeaders(auth: HttpAuth | undefined): Record<string, string> {
  switch (auth?.type) {
    case 'bearer':
      return { authorization: `Bearer ${auth.token}` };
    case 'basic':
      return { authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`, 'utf8').toString('base64')}` };
    case 'apiKey':
      return auth.in === 'header' ? { [auth.name]: auth.value } : {};
    default:
      return {};
  }
}

/** The query parameter that carries an API key, if the key goes in the query. */
export function authQuery(auth: HttpAuth | undefined): { name: string; value: string } | undefined {
  return auth?.type === 'apiKey' && auth.in === 'query' ? { name: auth.name, value: auth.value } : undefined;
}
