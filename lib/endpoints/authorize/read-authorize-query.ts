import type { AuthorizeQuery } from './authorize-request';

/**
 * Reads the authorization request's query into single string values. A parameter sent more than once is
 * noted rather than rejected here: whether that error is a page or a redirect depends on which parameter it
 * is (RFC 6749 §3.1: "Request and response parameters MUST NOT be included more than once"). Empty values
 * count as omitted (§3.1).
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-3.1
 */
export function readAuthorizeQuery(query: Readonly<Record<string, unknown>>): AuthorizeQuery {
  const params: Record<string, string> = Object.create(null);
  const repeated: string[] = [];
  for (const name of Object.keys(query)) {
    const value = query[name];
    if (typeof value === 'string') {
      if (value !== '') params[name] = value;
    } else {
      repeated.push(name);
    }
  }
  return { params, repeated };
}
