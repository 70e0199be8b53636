import type { PlainResponse } from '../../http';
import type { SigningKeys } from '../../tokens/signing-keys';
import { ID_TOKEN_CLAIMS, SCOPE_CLAIMS } from '../userinfo/standard-claims';

/**
 * Authorization server metadata (RFC 8414 §2), as served by `auth.metadata()`. A server that issues
 * id_tokens adds the OpenID Provider Metadata (OpenID Connect Discovery 1.0 §3) to the same document, which
 * `/.well-known/openid-configuration` serves too.
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
  /** OpenID Connect Discovery §3: the UserInfo endpoint, when the server issues id_tokens. */
  readonly userinfo_endpoint?: string;
  /** OpenID Connect Discovery §3 (REQUIRED for an OpenID Provider): `['public']`. */
  readonly subject_types_supported?: readonly string[];
  /** OpenID Connect Discovery §3 (REQUIRED for an OpenID Provider): the JWS `alg` of the id_token signer. */
  readonly id_token_signing_alg_values_supported?: readonly string[];
  /** OpenID Connect Discovery §3: the claims the id_token and the UserInfo endpoint can carry. */
  readonly claims_supported?: readonly string[];
  /** RFC 9449 §5.1: the JWS algorithms the server accepts in DPoP proofs. */
  readonly dpop_signing_alg_values_supported?: readonly string[];
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
  /** Set when the server issues id_tokens (the authorization code grant with `options.authorization`). */
  readonly openid?: OpenIdMetadataSettings | undefined;
  /** RFC 9449 §5.1: the JWS algorithms accepted in DPoP proofs, when the server accepts them. */
  readonly dpopSigningAlgs?: readonly string[] | undefined;
}

/** What the OpenID Provider part of the metadata is built from. */
export interface OpenIdMetadataSettings {
  /** The id_token signer's JWS `alg`. */
  readonly idTokenSigningAlg: string;
  /** True when the app gave a `userInfo` hook, so the §5.4 claims can be released. */
  readonly userInfoClaims: boolean;
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
  const openid = hasCodeGrant ? options.openid : undefined;
  // OpenID Connect Discovery §3: an OpenID Provider MUST support the openid scope; listed first when the
  // app's own list lacks it, and alone when the app lists none.
  const scopes = openid === undefined ? options.scopesSupported : ['openid', ...(options.scopesSupported ?? []).filter((s) => s !== 'openid')];
  return Object.freeze({
    issuer: options.issuer,
    ...(hasCodeGrant ? { authorization_endpoint: `${base}/authorize` } : {}),
    token_endpoint: `${base}/token`,
    ...(options.signingKeys?.publishesKeys === true ? { jwks_uri: `${base}/jwks` } : {}),
    ...(openid === undefined ? {} : { userinfo_endpoint: `${base}/userinfo` }),
    ...(scopes === undefined ? {} : { scopes_supported: scopes }),
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
    ...(options.dpopSigningAlgs === undefined ? {} : { dpop_signing_alg_values_supported: options.dpopSigningAlgs }),
    ...(openid === undefined
      ? {}
      : {
          // Discovery §3: REQUIRED. Every user gets one `sub` for every client.
          subject_types_supported: ['public'],
          // Discovery §3: REQUIRED; a relying party refuses an id_token signed with an alg not listed here
          // (and assumes RS256 when the field is missing).
          id_token_signing_alg_values_supported: [openid.idTokenSigningAlg],
          claims_supported: openid.userInfoClaims ? [...ID_TOKEN_CLAIMS, ...Object.values(SCOPE_CLAIMS).flat()] : [...ID_TOKEN_CLAIMS],
        }),
  });
}

/**
 * The `/.well-known/oauth-authorization-server` answer (RFC 8414 §3), and the same document as
 * `/.well-known/openid-configuration` (OpenID Connect Discovery §4.2), serialized once.
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-3
 */
export function metadataResponse(metadata: AuthorizationServerMetadata): PlainResponse {
  return Object.freeze({
    status: 200,
    headers: Object.freeze({ 'Cache-Control': 'public, max-age=300', 'Content-Type': 'application/json; charset=utf-8' }),
    body: JSON.stringify(metadata),
  });
}
