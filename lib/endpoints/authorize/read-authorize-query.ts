import type { AuthorizeQuery } from './authorize-request';

/**
 * Reads the authorization request's query into single string values. A parameter sent more than once is
 * noted rather than rejected here: whether that error is a page or a redirect depends on which parameter it
 * is (RFC 6749 §3.1: "Request and response parameters MUST NOT be included more than once"). Empty values
 * count as omitted (§3.1). `resource` alone may repeat (RFC 8707 §2): its values are kept apart.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-3.1
 */
export function readAuthorizeQuery(query: Readonly<Record<string, unknown>>): AuthorizeQuery {
  const params: Record<string, string> = Object.create(null);
  const repeated: string[] = [];
  let resources: readonly string[] | undefined;
  let resourceMalformed = false;
  for (const name of Object.keys(query)) {
    const value = query[name];
    if (name === 'resource') {
      // RFC 8707 §2: the one parameter that may repeat. Anything but strings (a parser's nested object) is malformed.
      const values = typeof value === 'string' ? [value] : value;
      if (Array.isArray(values) && values.every((v): v is string => typeof v === 'string')) {
        const kept = values.filter((v) => v !== '');
        if (kept.length > 0) resources = kept;
      } else {
        resourceMalformed = true;
      }
    } else if (typeof value === 'string') {
      if (value !== '') params[name] = value;
    } else {
      repeated.push(name);
    }
  }
  return { params, repeated, ...(resources === undefined ? {} : { resources }), ...(resourceMalformed ? { resourceMalformed } : {}) };
}
