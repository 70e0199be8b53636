import { randomBytes } from 'node:crypto';
import { deriveKey, KEY_LABELS, secretBytes } from '../../crypto/derive-key';
import { knownKeys, optionalBoolean, positiveInteger } from '../../core/validate-option';
import { IdTokenIssuer, type IdTokenSigner } from '../../tokens/id-token';
import { signingKeysIdTokenSigner } from '../../tokens/signing-keys-id-token-signer';
import type { SigningKeys } from '../../tokens/signing-keys';
import type { AuthorizeErrorPageRenderer } from './authorize-response';
import { TransactionSealer } from './transaction';
import type { UserInfoHook } from '../userinfo/user-info-hook';

/** `options.authorization` after validation, with the defaults and the objects built once; the hooks go to the adapter. */
export interface AuthorizationSettings {
  readonly issuer: string;
  readonly transactions: TransactionSealer;
  readonly transactionTtl: number;
  /** `options.bodyLimit`: the consent form must fit the body limit of its POST. */
  readonly bodyLimit: number;
  readonly codeTtl: number;
  readonly consentTtl: number | undefined;
  readonly allowPlainPkce: boolean;
  readonly requirePkceForConfidentialClients: boolean;
  readonly idTokens: IdTokenIssuer;
  readonly renderErrorPage: AuthorizeErrorPageRenderer | undefined;
  /** The app's claims source for the UserInfo endpoint; without it, UserInfo answers `sub` alone. */
  readonly userInfo: UserInfoHook | undefined;
}

/**
 * What the resolver reads of `options.authorization`. The public, documented shape of the same object is
 * `AuthorizationOptions` (options/types.ts), which the compiler holds to this one; the hooks' types are the
 * adapter's business, so they pass through as they are.
 */
export interface AuthorizationInput<AuthenticateUser, RenderConsent> {
  authenticateUser: AuthenticateUser;
  renderConsent: RenderConsent;
  transactionSecret?: string | Buffer;
  transactionTtl?: number;
  codeTtl?: number;
  consentTtl?: number | false;
  pkce?: { allowPlain?: boolean; requireForConfidentialClients?: boolean };
  idToken?: { signer?: IdTokenSigner; ttl?: number };
  renderErrorPage?: AuthorizeErrorPageRenderer;
  userInfo?: UserInfoHook;
}

// `satisfies` holds this list to the input type: an option read but not listed, or listed but not read, fails the build.
const KNOWN = {
  authenticateUser: true, renderConsent: true, transactionSecret: true, transactionTtl: true, codeTtl: true, consentTtl: true,
  pkce: true, idToken: true, renderErrorPage: true, userInfo: true,
} as const satisfies Record<keyof AuthorizationInput<unknown, unknown>, true>;

/** The app's hooks, which the adapter calls. */
export interface AuthorizationHooks<AuthenticateUser, RenderConsent> {
  readonly authenticateUser: AuthenticateUser;
  readonly renderConsent: RenderConsent;
}

/** Validates `options.authorization` once, at start-up; every message names the option. */
export function resolveAuthorizationOptions<A, R>(
  options: AuthorizationInput<A, R>,
  issuer: string | undefined,
  keys: { readonly secret: Buffer | undefined; readonly signingKeys: SigningKeys | undefined },
  bodyLimit: number,
): { readonly settings: AuthorizationSettings; readonly hooks: AuthorizationHooks<A, R> } {
  const name = 'options.authorization';
  if (typeof options !== 'object' || options === null) throw new TypeError(`${name} must be an object`);
  knownKeys(options, KNOWN, name);
  if (issuer === undefined) {
    throw new TypeError('options.issuer is required with the authorization_code grant: it is the id_token "iss" and the "iss" of authorization responses (RFC 9207)');
  }
  if (typeof options.authenticateUser !== 'function') throw new TypeError(`${name}.authenticateUser must be a function`);
  if (typeof options.renderConsent !== 'function') throw new TypeError(`${name}.renderConsent must be a function`);
  if (options.renderErrorPage !== undefined && typeof options.renderErrorPage !== 'function') throw new TypeError(`${name}.renderErrorPage must be a function`);
  if (options.userInfo !== undefined && typeof options.userInfo !== 'function') throw new TypeError(`${name}.userInfo must be a function`);
  const pkce = options.pkce ?? {};
  if (typeof pkce !== 'object' || pkce === null) throw new TypeError(`${name}.pkce must be an object`);
  const idToken = options.idToken ?? {};
  if (idToken.signer !== undefined && (typeof idToken.signer.sign !== 'function' || typeof idToken.signer.alg !== 'string')) {
    throw new TypeError(`${name}.idToken.signer must be an object with alg and sign(claims)`);
  }
  const consentTtl = options.consentTtl === false ? undefined : (positiveInteger(options.consentTtl, `${name}.consentTtl`) ?? 30 * 24 * 3600);
  const settings: AuthorizationSettings = {
    issuer,
    transactions: new TransactionSealer(transactionKey(options.transactionSecret, keys.secret)),
    transactionTtl: positiveInteger(options.transactionTtl, `${name}.transactionTtl`) ?? 600,
    bodyLimit,
    codeTtl: positiveInteger(options.codeTtl, `${name}.codeTtl`) ?? 60,
    consentTtl,
    allowPlainPkce: optionalBoolean(pkce.allowPlain, `${name}.pkce.allowPlain`) ?? false,
    requirePkceForConfidentialClients: optionalBoolean(pkce.requireForConfidentialClients, `${name}.pkce.requireForConfidentialClients`) ?? true,
    idTokens: new IdTokenIssuer(idToken.signer ?? defaultIdTokenSigner(keys.signingKeys), issuer, positiveInteger(idToken.ttl, `${name}.idToken.ttl`) ?? 3600),
    renderErrorPage: options.renderErrorPage,
    userInfo: options.userInfo,
  };
  return { settings, hooks: { authenticateUser: options.authenticateUser, renderConsent: options.renderConsent } };
}

// Any instance that shares the server's secret can then finish a consent another instance began.
function transactionKey(transactionSecret: string | Buffer | undefined, secret: Buffer | undefined): Buffer {
  if (transactionSecret !== undefined) return secretBytes(transactionSecret, 'options.authorization.transactionSecret');
  return secret === undefined ? randomBytes(32) : deriveKey(secret, KEY_LABELS.consentTransaction);
}

// The server's own keys sign id_tokens, so relying parties find their kid in jwks_uri.
function defaultIdTokenSigner(signingKeys: SigningKeys | undefined): IdTokenSigner {
  const signer = signingKeys === undefined ? undefined : signingKeysIdTokenSigner(signingKeys);
  if (signer === undefined) {
    throw new TypeError(
      'id_tokens need an asymmetric private key (ES256, RS256 or PS256) in options.signingKeys, which relying parties verify through the JWKS; or give options.authorization.idToken.signer',
    );
  }
  return signer;
}
