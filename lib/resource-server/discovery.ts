import { TemporarilyUnavailableError } from '../errors/token-errors';

/** The RFC 8414 metadata fields a resource server uses. */
export interface DiscoveredMetadata {
  readonly issuer: string;
  readonly jwks_uri?: string;
  readonly introspection_endpoint?: string;
  readonly [field: string]: unknown;
}

/**
 * Where an issuer publishes its metadata: `/.well-known/oauth-authorization-server` inserted between the
 * host and the issuer's path (RFC 8414 §3.1).
 *
 * @example
 * ```ts
 * metadataUrl('https://auth.example.com/tenant1'); // 'https://auth.example.com/.well-known/oauth-authorization-server/tenant1'
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-3.1
 */
export function metadataUrl(issuer: string): string {
  const url = new URL(issuer);
  const path = url.pathname === '/' ? '' : url.pathname.replace(/\/$/, '');
  return `${url.origin}/.well-known/oauth-authorization-server${path}`;
}

/**
 * Fetches and checks an issuer's metadata: the document's `issuer` must be the one asked for (RFC 8414 §3.3),
 * or an attacker's metadata could point us at its own keys.
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-3.3
 */
export async function fetchMetadata(issuer: string, timeoutMs: number): Promise<DiscoveredMetadata> {
  let body: unknown;
  try {
    const res = await fetch(metadataUrl(issuer), { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(timeoutMs) });
    if (res.status !== 200) throw new Error(`metadata answered ${res.status}`);
    body = await res.json();
  } catch (err) {
    throw new TemporarilyUnavailableError({ description: 'the authorization server metadata could not be fetched', detail: err instanceof Error ? err.message : undefined, cause: err });
  }
  const metadata = body as Partial<DiscoveredMetadata> | null;
  if (typeof metadata !== 'object' || metadata === null || metadata.issuer !== issuer) {
    throw new TemporarilyUnavailableError({ description: 'the authorization server metadata could not be used', detail: 'metadata issuer does not match the configured issuer' });
  }
  return metadata as DiscoveredMetadata;
}
