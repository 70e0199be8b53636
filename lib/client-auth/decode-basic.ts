/** A client id and secret taken from a request. */
export interface ClientCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
}

const BASIC = /^Basic[ ]+([A-Za-z0-9+/]+={0,2})[ ]*$/i;

/**
 * Decodes `Authorization: Basic` client credentials the way RFC 6749 §2.3.1 defines them: base64 of
 * `id:secret` where id and secret were each `application/x-www-form-urlencoded` first (Appendix B). So the
 * split is at the first colon, and `%3A`, `%2B` and `+` are decoded afterwards. Returns `undefined` when the
 * header is not a well-formed Basic credential with a non-empty id and secret.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1
 */
export function decodeBasicCredentials(header: string | undefined): ClientCredentials | undefined {
  if (header === undefined) return undefined;
  const match = BASIC.exec(header);
  if (match === null) return undefined;
  const decoded = Buffer.from(match[1] as string, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0 || colon === decoded.length - 1) return undefined;
  const clientId = formDecode(decoded.slice(0, colon));
  const clientSecret = formDecode(decoded.slice(colon + 1));
  if (clientId === undefined || clientSecret === undefined) return undefined;
  return { clientId, clientSecret };
}

/** True when the request carries an `Authorization: Basic ...` header, well-formed or not. */
export function hasBasicScheme(header: string | undefined): boolean {
  return header !== undefined && /^basic(?: |$)/i.test(header);
}

function formDecode(value: string): string | undefined {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}
