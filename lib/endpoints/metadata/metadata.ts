import type { PlainResponse } from '../../http';
import type { SigningKeys } from '../../tokens/signing-keys';

/**
 * Authorization server metadata (RFC 8414 §2), as served by `auth.metadata()`.
 *
 * @example
 * ```ts
 * import type { AuthorizationServerMetadata } from 'keyturn';
 *
 * const metadata: AuthorizationServerMetadata = auth.metadataDocument;
 * console.log(metadata.token_endpoint); // 'https://auth.example.com/oauth2/token'
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-2
 */
export interface AuthorizationServerMetadata {
  readonly issuer: string;
  readonly authorization_endpoint?: string;
  readonly token_endpoint: string;
  readonly jwks_uri?: string;
  readonly scopes_supported?: readonly string[];
  readonly response_types_supported: readonly string[];
  readonly grant_types_supported: readonly string[];
  readonly token_endpoint_auth_methods_supported: readonly string[];
  readonly revocation_endpoint: string;
  readonly revocation_endpoint_auth_methods_supported: readonly string[];
  readonly introspection_endpoint: string;
  readonly introspection_endpoint_auth_methods_supported: readonly string[];
  readonly code_challenge_methods_supported?: readonly string[];
  readonly [field: string]: unknown;
}

const SECRET_METHODS = ['client_secret_basic', 'client_secret_post'] as const;

/** What the metadata document is built from. */
export interface MetadataSettings {
  readonly issuer: string | undefined;
  readonly mountPath: string;
  readonly signingKeys: SigningKeys | undefined;
  readonly scopesSupported: readonly string[] | undefined;
  readonly grantTypes: readonly string[];
  readonly allowPlainPkce: boolean;
}

/**
 * Builds the metadata document: endpoint URLs are `issuer + mountPath + /token` etc. Throws a `TypeError`
 * when there is no issuer, which RFC 8414 requires.
 */
export function buildMetadata(options: MetadataSettings): AuthorizationServerMetadata {
  const grantTypes = options.grantTypes;
  if (options.issuer === undefined) throw new TypeError('auth.metadata() needs options.issuer (RFC 8414 §2)');
  const base = options.issuer.replace(/\/$/, '') + options.mountPath;
  const hasCodeGrant = grantTypes.includes('authorization_code');
  return Object.freeze({
    issuer: options.issuer,
    ...(hasCodeGrant ? { authorization_endpoint: `${base}/authorize` } : {}),
    token_endpoint: `${base}/token`,
    ...(options.signingKeys?.publishesKeys === true ? { jwks_uri: `${base}/jwks` } : {}),
    ...(options.scopesSupported === undefined ? {} : { scopes_supported: options.scopesSupported }),
    // REQUIRED by §2 even for a server without an authorization endpoint: then it lists no response type.
    response_types_supported: hasCodeGrant ? ['code'] : [],
    grant_types_supported: grantTypes,
    // `none` is for public clients, which only the authorization code grant (with PKCE) serves.
    token_endpoint_auth_methods_supported: hasCodeGrant ? [...SECRET_METHODS, 'none'] : [...SECRET_METHODS],
    revocation_endpoint: `${base}/revoke`,
    revocation_endpoint_auth_methods_supported: hasCodeGrant ? [...SECRET_METHODS, 'none'] : [...SECRET_METHODS],
    introspection_endpoint: `${base}/introspect`,
    introspection_endpoint_auth_methods_supported: [...SECRET_METHODS],
    ...(hasCodeGrant ? { code_challenge_methods_supported: options.allowPlainPkce ? ['S256', 'plain'] : ['S256'] } : {}),
  });
}

/**
 * The `/.well-known/oauth-authorization-server` answer (RFC 8414 §3), serialized once.
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-3
 */
export function metadataResponse(metadata: AuthorizationServerMetadata): PlainResponse {
  return Object.freeze({
    status: 200,
    headers: Object.freeze({ 'Cache-Control': 'public, max-age=300', 'Content-Type': 'application/json; charset=utf-8' }),
    body: JSON.stringify(metadata),
  });
}
