const PATHS: Readonly<Record<string, string>> = { token: '/token', revoke: '/revoke', introspect: '/introspect' };

/**
 * The `aud` values a client assertion may name at each endpoint (RFC 7523 §3 point 3): the issuer identifier,
 * or the token endpoint's URL, and at the revocation and introspection endpoints their own URL too, as OpenID
 * Connect Core §9 ("the URL of the endpoint it is used at") and oauth4webapi allow. Built once; none
 * without an issuer, so every assertion then fails.
 * @see https://www.rfc-editor.org/rfc/rfc7523#section-3
 */
export function assertionAudiences(issuer: string | undefined, mountPath: string): (endpoint: string) => readonly string[] {
  if (issuer === undefined) return () => [];
  const base = issuer.replace(/\/$/, '') + mountPath;
  const token = `${base}/token`;
  const byEndpoint = new Map<string, readonly string[]>(
    Object.entries(PATHS).map(([endpoint, path]) => [endpoint, Object.freeze([...new Set([issuer, token, `${base}${path}`])])]),
  );
  const fallback = Object.freeze([issuer, token]);
  return (endpoint) => byEndpoint.get(endpoint) ?? fallback;
}
